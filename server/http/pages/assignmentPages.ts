/**
 * Assignment pages: the list with filters, the queue by due date, the new-order form with its
 * dossier, the assignment page ("Where is it?") with the action forms for the events the user may
 * send now, dossier uploads and the agency's answers to the recommendations.
 */
import { Router, type Request, type Response } from "express";
import multer from "multer";
import { z } from "zod";
import { AppError } from "../../errors.js";
import type { Actor } from "../../runtime/actor.js";
import { loadAssignment } from "../../policies/assignmentPolicy.js";
import { mayFilterByAgency, mayUse } from "../../policies/pagePolicy.js";
import { createOrder } from "../../commands/createOrder.js";
import { sendAssignmentEvent } from "../../commands/sendAssignmentEvent.js";
import { MAX_FILE_BYTES, uploadDossierFile } from "../../commands/uploadDossierFile.js";
import { listAgencyOptions } from "../../queries/listAgencyOptions.js";
import { assignmentDetail } from "../routes/assignments.js";
import { CreateOrderSchema, EVENT_SCHEMAS, EventSchema } from "../schemas.js";
import { parse } from "../validate.js";
import { eventFromForm } from "../../presenters/pages/eventForms.js";
import { presentAssignmentList } from "../../presenters/pages/presentAssignmentList.js";
import { ORDER_FILE_FIELDS, presentNewOrderForm } from "../../presenters/pages/presentNewOrderForm.js";
import { contextOverdue, presentAssignmentPage, type FormState } from "../../presenters/pages/presentAssignmentPage.js";
import { actorOf, render, tr } from "./context.js";
import { checkDossier, dossierOf, fileNameOf, uploadDossier } from "./dossier.js";
import { readListFilters } from "./forms/readListFilters.js";
import { readOrderForm } from "./forms/readOrderForm.js";
import { attempt, bodyOf, get, postUpload, str, type PageDeps } from "./pageRoute.js";
import { listAssignments } from "./queries.js";

const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_FILE_BYTES, files: 6, fields: 40 } });
const orderFiles = upload.fields(ORDER_FILE_FIELDS.map((name) => ({ name, maxCount: 1 })));

async function showList(deps: PageDeps, req: Request, res: Response, queue: boolean) {
  const actor = actorOf(req);
  const filters = readListFilters(req.query);
  const order = queue ? "due" : "updated";
  const result = await listAssignments(deps.db, actor, deps.clock.now(), { ...filters, order });
  const agencies = await listAgencyOptions(deps.db, actor);
  const model = { queue, result, filters, agencies, showAgencyFilter: mayFilterByAgency(actor), locale: req.locale };
  render(req, res, "assignments", presentAssignmentList(model, tr(req)));
}

/** The agencies a secretariat may order for (null: the actor orders for their own agency). */
const agencyChoices = async (deps: PageDeps, actor: Actor) =>
  mayUse(actor, "orderForAgency") ? listAgencyOptions(deps.db, actor) : null;

type FailedOrder = { values: Record<string, unknown>; message: string; field?: string };

async function showNewOrder(deps: PageDeps, req: Request, res: Response, failed?: FailedOrder, status = 200) {
  const agencies = await agencyChoices(deps, actorOf(req));
  render(req, res, "newOrder", presentNewOrderForm({ agencies, failed }, tr(req)), status);
}

async function postNewOrder(deps: PageDeps, req: Request, res: Response) {
  const actor = actorOf(req);
  const form = readOrderForm(bodyOf(req));
  const files = dossierOf(req);
  let id = "";
  const values = { ...form.input, forms: form.forms };
  const again = (err: AppError) =>
    showNewOrder(deps, req, res, { values, message: err.message, field: err.field }, err.status);
  const run = async () => {
    const input = parse(CreateOrderSchema, form.input);
    checkDossier(files);
    id = (await createOrder(deps, { actor, input })).id;
  };
  if (!(await attempt(run, again, { notFoundToo: true }))) return;
  await uploadDossier(deps, actor, id, files);
  res.redirect(303, `/assignments/${id}?done=order.created`);
}

/** Renders the assignment page, optionally with a failed form's values and error. */
export async function showAssignment(deps: PageDeps, req: Request, res: Response, form?: FormState, status = 200) {
  const actor = actorOf(req);
  const id = String(req.params.id);
  const now = deps.clock.now();
  const detail = await assignmentDetail(deps.db, actor, id, now);
  const overdue = contextOverdue(await loadAssignment(deps.db, actor, id));
  const opts = { t: tr(req), roles: actor.roles, expertId: actor.expertId, now, form };
  render(req, res, "assignment", presentAssignmentPage({ ...detail, contextOverdue: overdue }, opts), status);
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

/** The assignment pages (the event forms post to assignmentPages). */
export const assignmentListPages = [
  get("/assignments", (deps, req, res) => showList(deps, req, res, false)),
  get("/queue", (deps, req, res) => showList(deps, req, res, true)),
  get("/assignments/new", (deps, req, res) => showNewOrder(deps, req, res)),
  get("/assignments/:id", (deps, req, res) => showAssignment(deps, req, res)),
  postUpload("/assignments/new", (req, res, next) => orderFiles(req, res, next), postNewOrder),
  postUpload("/assignments/:id/files", (req, res, next) => upload.single("file")(req, res, next), postFile),
];

/** The action forms of the assignment page: each posts one event through sendAssignmentEvent. */
export function assignmentPages(deps: PageDeps) {
  const r = Router();

  r.post("/assignments/:id/events", async (req, res) => {
    const actor = actorOf(req);
    const t = tr(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const type = str(body.type);
    if (!(type in EVENT_SCHEMAS)) throw new AppError(400, "unknown_event", t("error.unknownEvent"), "type");
    const schema = z.toJSONSchema(EVENT_SCHEMAS[type as keyof typeof EVENT_SCHEMAS], { io: "input" });
    let event = eventFromForm(type, schema, body);
    if (type === "order.proposeAccept" && body.checklist) {
      const checked = (Array.isArray(body.checklist) ? body.checklist : [body.checklist]).map((k) =>
        t(`checklist.${String(k)}`),
      );
      event.note = [`${t("checklist.done")}: ${checked.join("; ")}.`, event.note].filter(Boolean).join(" ");
    }
    if (type === "response.save" || type === "response.submit") {
      const answers = (body.answers ?? {}) as Record<string, { status?: string; explanation?: string }>;
      event = {
        type,
        answers: Object.entries(answers)
          .filter(([, a]) => a?.status)
          .map(([recommendationId, a]) => ({
            recommendationId,
            status: a.status,
            ...(a.explanation?.trim() ? { explanation: a.explanation.trim() } : {}),
          })),
      };
    }
    if (body.expectedVersion) event.expectedVersion = Number(body.expectedVersion);
    try {
      const { expectedVersion, ...ev } = parse(EventSchema, event) as {
        type: string;
        expectedVersion?: number;
      } & Record<string, unknown>;
      await sendAssignmentEvent(deps, { actor, assignmentId: String(req.params.id), event: ev, expectedVersion });
    } catch (err) {
      if (err instanceof AppError && err.status < 500 && err.status !== 404) {
        const message =
          err.code === "validation_failed" && err.field
            ? t("error.field", { field: t(`field.${err.field.split(".")[0]}`) })
            : err.message;
        return showAssignment(
          deps,
          req,
          res,
          {
            type,
            values: type.startsWith("response.") ? { answers: body.answers } : body,
            error: { field: err.field?.split(".")[0], message },
          },
          err.status,
        );
      }
      throw err;
    }
    res.redirect(303, `/assignments/${req.params.id}?done=${encodeURIComponent(type)}`);
  });

  return r;
}
