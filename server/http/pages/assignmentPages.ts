/**
 * Assignment pages: the list with filters, the queue by due date, the new-order form with its
 * dossier, the assignment page ("Where is it?") with the action forms for the events the user may
 * send now, dossier uploads and the agency's answers to the recommendations.
 */
import type { Request, Response } from "express";
import multer from "multer";
import { AppError } from "../../errors.js";
import type { Actor } from "../../runtime/actor.js";
import { loadAssignment } from "../../policies/assignmentPolicy.js";
import { mayFilterByAgency, mayUse } from "../../policies/pagePolicy.js";
import { createOrder } from "../../commands/createOrder.js";
import { sendAssignmentEvent } from "../../commands/sendAssignmentEvent.js";
import { MAX_FILE_BYTES, uploadDossierFile } from "../../commands/uploadDossierFile.js";
import { attachExternalSignature, MAX_SIGNED_PDF_BYTES } from "../../commands/attachExternalSignature.js";
import { agencyOptions as listAgencyOptions } from "../../queries/listAgencies.js";
import { loadAssignmentDetail as assignmentDetail } from "../../queries/loadAssignmentDetail.js";
import { loadReportReview } from "../../queries/loadReportReview.js";
import { mayPreviewDrafts } from "../../policies/documentPolicy.js";
import { presentReportReview } from "../../presenters/pages/presentReportReview.js";
import { CreateOrderSchema, EventBodySchema, StaffChangeSchema } from "../schemas.js";
import { parse } from "../validate.js";
import { eventFormError, eventFromForm } from "../../presenters/pages/eventForms.js";
import { presentAssignmentList } from "../../presenters/pages/presentAssignmentList.js";
import { ORDER_FILE_FIELDS, presentNewOrderForm } from "../../presenters/pages/presentNewOrderForm.js";
import { contextOverdue, presentAssignmentPage, type FormState } from "../../presenters/pages/presentAssignmentPage.js";
import { actorOf, render, tr } from "./context.js";
import { listFailedMail } from "../../queries/listMailLog.js";
import { retryMail } from "../../commands/retryMail.js";
import { assignStaff } from "../../commands/assignStaff.js";
import { listAssignmentStaff } from "../../queries/listAssignmentStaff.js";
import { presentStaffPanel, type StaffFormError } from "../../presenters/pages/presentStaffPanel.js";
import { presentMailLog } from "../../presenters/mailPresenter.js";
import { dossierOf, fileNameOf, refusedFromQuery, refusedToQuery, sortDossier, uploadDossier } from "./dossier.js";
import { readListFilters } from "./forms/readListFilters.js";
import { readTimelinePage } from "./forms/readTimelinePage.js";
import { readOrderForm } from "./forms/readOrderForm.js";
import { answerAutosave, attempt, bodyOf, get, post, postUpload, str, type PageDeps } from "./pageRoute.js";
import { isAutosave } from "./forms/fields.js";
import { listAssignments } from "./queries.js";

const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_FILE_BYTES, files: 6, fields: 40 } });
const signedUpload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: MAX_SIGNED_PDF_BYTES, files: 1, fields: 2 },
});
const orderFiles = upload.fields(ORDER_FILE_FIELDS.map((name) => ({ name, maxCount: 1 })));

async function showList(deps: PageDeps, req: Request, res: Response, queue: boolean) {
  const actor = actorOf(req);
  const filters = readListFilters(req.query);
  const order = queue ? "due" : "updated";
  const result = await listAssignments(deps.db, actor, deps.clock.now(), { ...filters, order });
  const agencies = await listAgencyOptions(deps.db, actor);
  const model = { queue, result, filters, agencies, showAgencyFilter: mayFilterByAgency(actor), locale: req.locale };
  render(req, res, "assignments", { ...presentAssignmentList(model, tr(req)), exportHref: exportHref(req, queue) });
}

/** The Excel export of the list as filtered now (every page of it). */
function exportHref(req: Request, queue: boolean) {
  const query = new URLSearchParams(req.query as Record<string, string>);
  query.delete("page");
  query.delete("done");
  if (queue) query.set("queue", "1");
  const q = query.toString();
  return `/exports/assignments.xlsx${q ? `?${q}` : ""}`;
}

/** The agencies a secretariat may order for (null: the actor orders for their own agency). */
const agencyChoices = async (deps: PageDeps, actor: Actor) =>
  mayUse(actor, "orderForAgency") ? listAgencyOptions(deps.db, actor) : null;

type FailedOrder = { values: Record<string, unknown>; message: string; field?: string };

async function showNewOrder(deps: PageDeps, req: Request, res: Response, failed?: FailedOrder, status = 200) {
  const agencies = await agencyChoices(deps, actorOf(req));
  render(req, res, "newOrder", presentNewOrderForm({ agencies, failed }, tr(req)), status);
}

type OrderForm = ReturnType<typeof readOrderForm>;

/** Shows the order form again, as typed, with why it was refused. */
const orderAgain = (deps: PageDeps, req: Request, res: Response, form: OrderForm) => (err: AppError) => {
  const failed = { values: { ...form.input, forms: form.forms }, message: err.message, field: err.field };
  return showNewOrder(deps, req, res, failed, err.status);
};

/** Parses the order and creates the assignment; returns its id. */
async function orderFromForm(deps: PageDeps, actor: Actor, form: OrderForm) {
  const input = parse(CreateOrderSchema, form.input);
  return (await createOrder(deps, { actor, input })).id;
}

/**
 * Creates the order with the files that pass the dossier's checks; a refused file does not take
 * the order or the good files with it: the assignment page names it with its reason (`refused=`).
 */
async function postNewOrder(deps: PageDeps, req: Request, res: Response) {
  const actor = actorOf(req);
  const form = readOrderForm(bodyOf(req));
  const { valid, refused } = sortDossier(dossierOf(req));
  let id = "";
  const run = async () => {
    id = await orderFromForm(deps, actor, form);
  };
  if (!(await attempt(run, orderAgain(deps, req, res, form), { notFoundToo: true }))) return;
  await uploadDossier(deps, actor, id, valid);
  const query = refused.length ? `&${refusedToQuery(refused)}#files` : "";
  res.redirect(303, `/assignments/${id}?done=order.created${query}`);
}

/** The assignment page; after an order whose files were partly refused, the refusals by the upload form. */
async function showAssignmentPage(deps: PageDeps, req: Request, res: Response) {
  const refused = refusedFromQuery(req.query.refused);
  if (!refused.length) return showAssignment(deps, req, res);
  const t = tr(req);
  const list = refused.map((r) => `${r.name} (${t(`error.${r.code}`)})`).join("; ");
  const message = t("upload.refusedWithOrder", { files: list });
  await showAssignment(deps, req, res, { type: "upload", values: {}, error: { field: "file", message } });
}

/** Events whose form acts on the report: the page shows the report beside them (see before you sign). */
const REPORT_ACTIONS = ["report.endorse", "report.approve", "report.return", "report.issue"];

/** The report under review, when the actor may act on it now. */
async function reviewFor(deps: PageDeps, req: Request, detail: { id: string; can: Array<{ type: string }> }) {
  const actor = actorOf(req);
  if (!detail.can.some((c) => REPORT_ACTIONS.includes(c.type))) return null;
  const review = await loadReportReview(deps.db, actor, detail.id);
  return presentReportReview({ assignmentId: detail.id, review, mayPreviewPdf: mayPreviewDrafts(actor) }, tr(req));
}

/** Renders the assignment page, optionally with a failed form's values and error. */
export async function showAssignment(
  deps: PageDeps,
  req: Request,
  res: Response,
  form?: FormState,
  status = 200,
  staffError?: StaffFormError,
) {
  const actor = actorOf(req);
  const id = String(req.params.id);
  const now = deps.clock.now();
  const detail = await assignmentDetail(deps.db, actor, id, now, readTimelinePage(req.query));
  const overdue = contextOverdue(await loadAssignment(deps.db, actor, id));
  const opts = { t: tr(req), roles: actor.roles, expertId: actor.expertId, now, form };
  const failedMail = presentMailLog(await listFailedMail(deps.db, actor, id));
  const model = presentAssignmentPage({ ...detail, contextOverdue: overdue }, opts);
  const review = await reviewFor(deps, req, detail);
  const staff = presentStaffPanel(await listAssignmentStaff(deps.db, actor, id), tr(req), staffError);
  render(req, res, "assignment", { ...model, failedMail, review, staff }, status);
}

/** The staff form's fields: one person to add (a select) or to remove (a row's button), and a note. */
function staffChangeOf(body: Record<string, unknown>) {
  const one = (v: unknown) => (str(v) ? [str(v)] : undefined);
  const note = str(body.note).trim();
  return parse(StaffChangeSchema, { add: one(body.add), remove: one(body.remove), ...(note ? { note } : {}) });
}

/** POST /assignments/:id/staff: leadership names (or stops naming) a staff member to the assignment. */
async function postStaff(deps: PageDeps, req: Request, res: Response) {
  const assignmentId = String(req.params.id);
  const change = () => assignStaff(deps, { actor: actorOf(req), assignmentId, change: staffChangeOf(bodyOf(req)) });
  const again = (err: AppError) => showAssignment(deps, req, res, undefined, err.status, { message: err.message });
  const done = str(bodyOf(req).remove) ? "staff.remove" : "staff.add";
  if (await attempt(change, again)) res.redirect(303, `/assignments/${assignmentId}?done=${done}#staff`);
}

/** POST /assignments/:id/mail/:entryId/retry: staff send a failed message again once its data is fixed. */
async function postMailRetry(deps: PageDeps, req: Request, res: Response) {
  const props = { actor: actorOf(req), assignmentId: String(req.params.id), entryId: String(req.params.entryId) };
  await retryMail(deps, props);
  res.redirect(303, `/assignments/${props.assignmentId}?done=mail.retry#mail`);
}

/** Adds the uploaded file to the dossier. @throws AppError file_required, or what uploadDossierFile throws */
async function uploadOne(deps: PageDeps, req: Request) {
  const file = req.file;
  if (!file) throw new AppError(400, "file_required", tr(req)("upload.required"), "file");
  const kind = str(bodyOf(req).kind) || "annex";
  const target = { assignmentId: String(req.params.id), fileName: fileNameOf(file), bytes: file.buffer, kind };
  await uploadDossierFile(deps, { actor: actorOf(req), ...target });
}

async function postFile(deps: PageDeps, req: Request, res: Response) {
  const again = (err: AppError) => {
    const form = { type: "upload", values: {}, error: { field: err.field, message: err.message } };
    return showAssignment(deps, req, res, form, err.status);
  };
  if (await attempt(() => uploadOne(deps, req), again))
    res.redirect(303, `/assignments/${req.params.id}?done=file.uploaded#files`);
}

/** POST /assignments/:id/documents/:docId/signed: an issued document signed elsewhere (USB token). */
async function postSigned(deps: PageDeps, req: Request, res: Response) {
  const props = { actor: actorOf(req), documentId: String(req.params.docId), bytes: req.file?.buffer };
  const again = (err: AppError) => {
    const form = { type: "signed", values: {}, error: { field: err.field, message: err.message } };
    return showAssignment(deps, req, res, form, err.status);
  };
  if (await attempt(() => attachExternalSignature(deps, props), again))
    res.redirect(303, `/assignments/${req.params.id}?done=document.signed#documents`);
}

/**
 * POST /assignments/:id/events from an action form: the form becomes the event and goes through
 * the one command both faces use; a refusal shows the page again with the form open and the
 * message at its field; success goes back to the page.
 */
async function postEvent(deps: PageDeps, req: Request, res: Response) {
  const [t, body, assignmentId] = [tr(req), bodyOf(req), String(req.params.id)];
  const send = async () => {
    const { expectedVersion, ...event } = parse(EventBodySchema, eventFromForm(body, t));
    await sendAssignmentEvent(deps, { actor: actorOf(req), assignmentId, event, expectedVersion });
    return deps.clock.now();
  };
  // The response form's autosave saves the answers so far (response.save), never the final answer.
  if (isAutosave(body) && body.type === "response.save") return answerAutosave(req, res, send);
  try {
    await send();
  } catch (err) {
    const shown = eventFormError(err, body, t);
    if (!shown) throw err;
    return showAssignment(deps, req, res, shown, (err as AppError).status);
  }
  res.redirect(303, `/assignments/${assignmentId}?done=${encodeURIComponent(String(body.type))}`);
}

/** The assignment pages. */
export const assignmentListPages = [
  get("/assignments", (deps, req, res) => showList(deps, req, res, false)),
  get("/queue", (deps, req, res) => showList(deps, req, res, true)),
  get("/assignments/new", (deps, req, res) => showNewOrder(deps, req, res)),
  get("/assignments/:id", showAssignmentPage),
  post("/assignments/:id/events", postEvent),
  post("/assignments/:id/mail/:entryId/retry", postMailRetry),
  post("/assignments/:id/staff", postStaff),
  postUpload("/assignments/new", (req, res, next) => orderFiles(req, res, next), postNewOrder),
  postUpload("/assignments/:id/files", (req, res, next) => upload.single("file")(req, res, next), postFile),
  postUpload(
    "/assignments/:id/documents/:docId/signed",
    (req, res, next) => signedUpload.single("file")(req, res, next),
    postSigned,
  ),
];
