/** The expert's opinion form: drafts, submitting, past versions, the dossier beside it. */
import type { Request, Response } from "express";
import multer from "multer";
import { AppError, ForbiddenError } from "../../errors.js";
import { loadAssignment } from "../../policies/assignmentPolicy.js";
import { requireExpert } from "../../policies/pagePolicy.js";
import { saveOpinionDraft, submitOpinion } from "../../commands/opinions.js";
import { attachOpinionFile } from "../../commands/attachOpinionFile.js";
import { MAX_FILE_BYTES } from "../../commands/uploadDossierFile.js";
import { listOpinionAttachments } from "../../queries/listOpinionAttachments.js";
import { loadOpinionAttachment } from "../../queries/loadOpinionAttachment.js";
import { sendDownload } from "../send.js";
import { fileNameOf } from "./dossier.js";
import { loadOpinionForm } from "../../queries/loadOpinionForm.js";
import { presentOpinionForm } from "../../presenters/pages/presentOpinionForm.js";
import type { FailedForm } from "../../presenters/pages/pageTypes.js";
import { loadAssignmentDetail as assignmentDetail } from "../../queries/loadAssignmentDetail.js";
import { OpinionContentSchema } from "../schemas.js";
import { parse } from "../validate.js";
import { actorOf, render, tr } from "./context.js";
import { readOpinionForm } from "./forms/readOpinionForm.js";
import { applyRowAction, readRowAction } from "./forms/rowActions.js";
import { answerAutosave, attempt, bodyOf, get, post, postUpload, type PageDeps } from "./pageRoute.js";

const MAX_ATTACHMENTS = 5;
const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: MAX_FILE_BYTES, files: MAX_ATTACHMENTS, fields: 5 },
});

async function showOpinion(deps: PageDeps, req: Request, res: Response, failed?: Partial<FailedForm>, status = 200) {
  const actor = actorOf(req);
  const t = tr(req);
  const assignment = await loadAssignment(deps.db, actor, String(req.params.id));
  const expertId = requireExpert(actor);
  const { seat, versions } = await loadOpinionForm(deps.db, { assignmentId: assignment.id, expertId });
  if (!seat) throw new ForbiddenError(t("opinion.notMember"));
  const detail = await assignmentDetail(deps.db, actor, assignment.id, deps.clock.now());
  const attachments = (await listOpinionAttachments(deps.db, actor, assignment.id)).filter(
    (f) => f.expertId === expertId,
  );
  const model = presentOpinionForm({ assignment, seat, versions, detail, failed, attachments }, t);
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

/**
 * POST /assignments/:id/opinion/files: each chosen file is checked and stored on its own, so a
 * refused one (wrong type, empty, bytes not of its type) is named with its reason and the good ones
 * beside it are kept; the page says both.
 */
async function postAttachments(deps: PageDeps, req: Request, res: Response) {
  const t = tr(req);
  const files = (req.files ?? []) as Express.Multer.File[];
  const [kept, refused] = [[] as string[], [] as AppError[]];
  for (const f of files) {
    const props = {
      actor: actorOf(req),
      assignmentId: String(req.params.id),
      fileName: fileNameOf(f),
      bytes: f.buffer,
    };
    const again = (err: AppError) =>
      void refused.push(new AppError(err.status, err.code, `${props.fileName}: ${err.message}`));
    if (await attempt(() => attachOpinionFile(deps, props), again)) kept.push(props.fileName);
  }
  if (!files.length) refused.push(new AppError(400, "file_required", t("upload.required"), "files"));
  if (!refused.length)
    return res.redirect(303, `/assignments/${req.params.id}/opinion?done=opinion.attached#attachments`);
  const error = [
    ...refused.map((e) => e.message),
    ...(kept.length ? [t("attach.kept", { names: kept.join(", ") })] : []),
  ];
  await showOpinion(deps, req, res, { error: error.join(" ") }, refused[0].status);
}

/** GET /assignments/:id/opinion-files/:fileId: an opinion's attachment, for those who may see that opinion. */
async function getAttachment(deps: PageDeps, req: Request, res: Response) {
  const { file, bytes } = await loadOpinionAttachment(
    deps.db,
    actorOf(req),
    String(req.params.id),
    String(req.params.fileId),
  );
  res.setHeader("Cache-Control", "private, no-store");
  sendDownload(res, { bytes, fileName: file.fileName, contentType: file.contentType, disposition: "attachment" });
}

/** The opinion pages. */
export const opinionPages = [
  postUpload(
    "/assignments/:id/opinion/files",
    (req, res, next) => upload.array("files", MAX_ATTACHMENTS)(req, res, next),
    postAttachments,
  ),
  get("/assignments/:id/opinion-files/:fileId", getAttachment),
  get("/assignments/:id/opinion", (deps, req, res) => showOpinion(deps, req, res)),
  post("/assignments/:id/opinion", saveOpinion),
];
