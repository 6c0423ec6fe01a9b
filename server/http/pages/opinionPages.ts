/** The expert's opinion form: drafts, submitting, past versions, the dossier beside it. */
import type { Request, Response } from "express";
import { AppError, ForbiddenError } from "../../errors.js";
import { loadAssignment } from "../../policies/assignmentPolicy.js";
import { requireExpert } from "../../policies/pagePolicy.js";
import { saveOpinionDraft, submitOpinion } from "../../commands/opinions.js";
import { loadOpinionForm } from "../../queries/loadOpinionForm.js";
import { presentOpinionForm } from "../../presenters/pages/presentOpinionForm.js";
import type { FailedForm } from "../../presenters/pages/pageTypes.js";
import { loadAssignmentDetail as assignmentDetail } from "../../queries/loadAssignmentDetail.js";
import { OpinionContentSchema } from "../schemas.js";
import { parse } from "../validate.js";
import { actorOf, render, tr } from "./context.js";
import { readOpinionForm } from "./forms/readOpinionForm.js";
import { applyRowAction, readRowAction } from "./forms/rowActions.js";
import { answerAutosave, attempt, bodyOf, get, post, type PageDeps } from "./pageRoute.js";

async function showOpinion(deps: PageDeps, req: Request, res: Response, failed?: FailedForm, status = 200) {
  const actor = actorOf(req);
  const t = tr(req);
  const assignment = await loadAssignment(deps.db, actor, String(req.params.id));
  const expertId = requireExpert(actor);
  const { seat, versions } = await loadOpinionForm(deps.db, { assignmentId: assignment.id, expertId });
  if (!seat) throw new ForbiddenError(t("opinion.notMember"));
  const detail = await assignmentDetail(deps.db, actor, assignment.id, deps.clock.now());
  const model = presentOpinionForm({ assignment, seat, versions, detail, failed }, t);
  render(req, res, "opinion", model, status);
}

/** Saves the draft, then submits it when asked and confirmed. @throws AppError confirmation_required */
async function saveThenSubmit(
  deps: PageDeps,
  req: Request,
  form: ReturnType<typeof readOpinionForm>,
  save: () => Promise<unknown>,
) {
  await save();
  if (form.submit && !form.confirmed)
    throw new AppError(400, "confirmation_required", tr(req)("error.confirmation_required"), "confirm");
  if (form.submit) await submitOpinion(deps, { actor: actorOf(req), assignmentId: String(req.params.id) });
}

/**
 * Saves the draft (by the button, or in the background by the autosave), then submits it when
 * asked and confirmed: the draft is kept even when the submission is refused.
 */
async function saveOpinion(deps: PageDeps, req: Request, res: Response) {
  const [actor, id] = [actorOf(req), String(req.params.id)];
  const rows = readRowAction(bodyOf(req).action, ["specific"]);
  if (rows) return editComments(deps, req, res, applyRowAction(bodyOf(req), rows));
  const form = readOpinionForm(bodyOf(req));
  const save = async () =>
    saveOpinionDraft(deps, { actor, assignmentId: id, content: parse(OpinionContentSchema, form.content) });
  if (form.autosave) return answerAutosave(req, res, async () => (await save()).createdAt);
  const again = (err: { message: string; status: number }) =>
    showOpinion(deps, req, res, { values: form.content, error: err.message }, err.status);
  if (!(await attempt(() => saveThenSubmit(deps, req, form, save), again))) return;
  const next = form.submit ? `/assignments/${id}?done=opinion.submit` : `/assignments/${id}/opinion?done=opinion.save`;
  res.redirect(303, next);
}

/**
 * A row button without JavaScript (add, move or remove a specific comment): the draft is saved as
 * changed (blank comments are not kept) and the form is shown again with its blank rows.
 */
async function editComments(deps: PageDeps, req: Request, res: Response, body: Record<string, unknown>) {
  const [actor, assignmentId] = [actorOf(req), String(req.params.id)];
  const shown = readOpinionForm(body, { keepBlank: true }).content;
  const run = () =>
    saveOpinionDraft(deps, {
      actor,
      assignmentId,
      content: parse(OpinionContentSchema, readOpinionForm(body).content),
    });
  const again = (err: AppError) => showOpinion(deps, req, res, { values: shown, error: err.message }, err.status);
  if (await attempt(run, again)) await showOpinion(deps, req, res, { values: shown, error: "" });
}

/** The opinion pages. */
export const opinionPages = [
  get("/assignments/:id/opinion", (deps, req, res) => showOpinion(deps, req, res)),
  post("/assignments/:id/opinion", saveOpinion),
];
