/** The secretariat's consolidation editor: the draft report built from the submitted opinions. */
import type { Request, Response } from "express";
import { loadAssignment } from "../../policies/assignmentPolicy.js";
import { authorizePage } from "../../policies/pagePolicy.js";
import { saveReportDraft } from "../../commands/reports.js";
import { findLatestReportDraft } from "../../queries/findLatestReportDraft.js";
import { renderReportPreview } from "../../queries/renderReportPreview.js";
import { presentReportEditor } from "../../presenters/pages/presentReportEditor.js";
import type { FailedForm } from "../../presenters/pages/pageTypes.js";
import { loadAssignmentDetail as assignmentDetail } from "../../queries/loadAssignmentDetail.js";
import { SaveReportSchema } from "../schemas.js";
import { parse } from "../validate.js";
import { actorOf, render, tr } from "./context.js";
import { readReportForm } from "./forms/readReportForm.js";
import { answerAutosave, attempt, bodyOf, get, post, type PageDeps } from "./pageRoute.js";
import { isAutosave } from "./forms/fields.js";

async function showReport(deps: PageDeps, req: Request, res: Response, failed?: FailedForm, status = 200) {
  const actor = actorOf(req);
  authorizePage(actor, "reportEditor");
  const assignment = await loadAssignment(deps.db, actor, String(req.params.id));
  const detail = await assignmentDetail(deps.db, actor, assignment.id, deps.clock.now());
  const latest = await findLatestReportDraft(deps.db, assignment.id);
  render(req, res, "report", presentReportEditor({ assignment, detail, latest, failed }, tr(req)), status);
}

async function saveReport(deps: PageDeps, req: Request, res: Response) {
  const form = readReportForm(bodyOf(req), tr(req));
  const autosave = isAutosave(bodyOf(req));
  const save = async () => {
    const { content, note } = parse(SaveReportSchema, form);
    const input = { actor: actorOf(req), assignmentId: String(req.params.id), content, note, autosave };
    return saveReportDraft(deps, input);
  };
  if (autosave) return answerAutosave(req, res, async () => (await save()).createdAt);
  const run = save;
  const again = (err: { message: string; status: number }) =>
    showReport(deps, req, res, { values: form.content, error: err.message }, err.status);
  if (await attempt(run, again)) res.redirect(303, `/assignments/${req.params.id}/report?done=report.drafted`);
}

/** The latest report draft as HTML of its document template, framed by the pages that act on it. */
async function showReportPreview(deps: PageDeps, req: Request, res: Response) {
  const html = await renderReportPreview(deps, actorOf(req), String(req.params.id));
  res.setHeader("Cache-Control", "no-store");
  res.type("html").send(html);
}

/** The consolidation editor's pages. */
export const reportPages = [
  get("/assignments/:id/report/preview", showReportPreview),
  get("/assignments/:id/report", (deps, req, res) => showReport(deps, req, res)),
  post("/assignments/:id/report", saveReport),
];
