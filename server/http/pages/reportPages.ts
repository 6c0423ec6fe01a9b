/** The secretariat's consolidation editor: the draft report built from the submitted opinions. */
import type { Request, Response } from "express";
import type { AppError } from "../../errors.js";
import { loadAssignment } from "../../policies/assignmentPolicy.js";
import { authorizePage } from "../../policies/pagePolicy.js";
import { saveReportDraft } from "../../commands/reports.js";
import { findLatestReportDraft } from "../../queries/findLatestReportDraft.js";
import { listOpinionAttachments } from "../../queries/listOpinionAttachments.js";
import { renderReportPreview } from "../../queries/renderReportPreview.js";
import { citePassage, presentReportEditor } from "../../presenters/pages/presentReportEditor.js";
import { mayPreviewDrafts } from "../../policies/documentPolicy.js";
import type { FailedForm } from "../../presenters/pages/pageTypes.js";
import { loadAssignmentDetail as assignmentDetail } from "../../queries/loadAssignmentDetail.js";
import { SaveReportSchema } from "../schemas.js";
import { parse } from "../validate.js";
import { actorOf, render, tr } from "./context.js";
import { readReportForm, REPORT_LISTS } from "./forms/readReportForm.js";
import { appendRow, applyRowAction, readRowAction } from "./forms/rowActions.js";
import { str } from "./forms/fields.js";
import { answerAutosave, attempt, bodyOf, get, post, type PageDeps } from "./pageRoute.js";
import { isAutosave } from "./forms/fields.js";

async function showReport(deps: PageDeps, req: Request, res: Response, failed?: Partial<FailedForm>, status = 200) {
  const actor = actorOf(req);
  authorizePage(actor, "reportEditor");
  const assignment = await loadAssignment(deps.db, actor, String(req.params.id));
  const detail = await assignmentDetail(deps.db, actor, assignment.id, deps.clock.now());
  const latest = await findLatestReportDraft(deps.db, assignment.id);
  const attachments = await listOpinionAttachments(deps.db, actor, assignment.id);
  const model = { assignment, detail, latest, failed, attachments, mayPreviewPdf: mayPreviewDrafts(actor) };
  render(req, res, "report", presentReportEditor(model, tr(req)), status);
}

const CITE = /^cite:([0-9a-f-]{36}):((?:I|II\.\d{1,3}|III))$/i;

/** The body with the quoted passage a "Trích dẫn" button asked for, put where `citeInto` says. */
async function withCitation(deps: PageDeps, req: Request, body: Record<string, unknown>) {
  const m = CITE.exec(str(body.action));
  if (!m) return body;
  const detail = await assignmentDetail(deps.db, actorOf(req), String(req.params.id), deps.clock.now());
  const quote = citePassage(detail, m[1], m[2], tr(req));
  return quote ? appendRow(body, str(body.citeInto) || "conclusions", REPORT_LISTS, quote) : body;
}

/**
 * A row button or a "Trích dẫn" without JavaScript: the form changed as asked is saved like an
 * autosave (blank rows are not kept) and shown again with its blank rows, so nothing typed is lost.
 */
async function editReport(deps: PageDeps, req: Request, res: Response) {
  const body = bodyOf(req);
  const action = readRowAction(body.action, REPORT_LISTS);
  const edited = action ? applyRowAction(body, action) : await withCitation(deps, req, body);
  const { content } = parse(SaveReportSchema, readReportForm(edited, tr(req)));
  await saveReportDraft(deps, { actor: actorOf(req), assignmentId: String(req.params.id), content, autosave: true });
  return showReport(deps, req, res, { values: readReportForm(edited, tr(req), { keepBlank: true }).content });
}

async function saveReport(deps: PageDeps, req: Request, res: Response) {
  if (!["", "save"].includes(str(bodyOf(req).action))) {
    const shown = () => readReportForm(bodyOf(req), tr(req), { keepBlank: true }).content;
    const again = (err: AppError) => showReport(deps, req, res, { values: shown(), error: err.message }, err.status);
    return void (await attempt(() => editReport(deps, req, res), again));
  }
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
