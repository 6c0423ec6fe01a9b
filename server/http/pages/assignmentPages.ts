/**
 * Assignment pages: the list with filters, the queue by due date, the new-order form with its
 * dossier, the assignment page ("Where is it?") with the action forms for the events the user may
 * send now, dossier uploads and the agency's answers to the recommendations.
 */
import { Router, type Request, type Response } from "express";
import multer from "multer";
import { AppError } from "../../errors.js";
import { hasRole } from "../../runtime/actor.js";
import type { RuntimeDeps } from "../../runtime/applyEvent.js";
import { loadAssignment } from "../../policies/assignmentPolicy.js";
import { createOrder } from "../../commands/createOrder.js";
import { sendAssignmentEvent } from "../../commands/sendAssignmentEvent.js";
import { checkFile, FILE_KINDS, MAX_FILE_BYTES, uploadDossierFile } from "../../commands/uploadDossierFile.js";
import { loadAssignmentDetail as assignmentDetail } from "../../queries/loadAssignmentDetail.js";
import { CreateOrderSchema, EventBodySchema } from "../schemas.js";
import { parse } from "../validate.js";
import { csrfProtection } from "../auth.js";
import { eventFormError, eventFromForm } from "../../presenters/pages/eventForms.js";
import { presentAssignmentPage, type FormState } from "../../presenters/pages/assignmentPage.js";
import { actorOf, render, tr } from "./context.js";
import { agencyOptions, listAssignments } from "./queries.js";
import { SUBJECT_KINDS, URGENCIES } from "../../../workflows/assignment/types.js";

const STATES = [
  "ordered",
  "screening",
  "planning",
  "panelFormation",
  "underReview",
  "consolidation",
  "approval",
  "issuing",
  "sent",
  "awaitingResponse",
  "responded",
  "closed",
  "declined",
  "withdrawn",
  "onHold",
];
const str = (v: unknown) => (typeof v === "string" ? v : "");
const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_FILE_BYTES, files: 6, fields: 40 } });

/**
 * POST /assignments/:id/events from an action form: the form becomes the event, it goes through
 * the one command both faces use; a refusal shows the page again with the form open and the
 * message at its field; success goes back to the page.
 */
function postAssignmentEvent(deps: RuntimeDeps) {
  return async (req: Request, res: Response) => {
    const t = tr(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const [form, assignmentId] = [eventFromForm(body, t), String(req.params.id)];
    try {
      const { expectedVersion, ...event } = parse(EventBodySchema, form);
      await sendAssignmentEvent(deps, { actor: actorOf(req), assignmentId, event, expectedVersion });
    } catch (err) {
      const shown = eventFormError(err, body, t);
      if (!shown) throw err;
      return showAssignment(deps, req, res, shown, (err as AppError).status);
    }
    res.redirect(303, `/assignments/${req.params.id}?done=${encodeURIComponent(String(body.type))}`);
  };
}

/** Routes that take multipart bodies: multer first, then the CSRF check on the parsed form. */
export function assignmentUploadPages(deps: RuntimeDeps) {
  const r = Router();
  const orderFiles = upload.fields(
    ["request_letter", "draft", "submission", "annex"].map((name) => ({ name, maxCount: 1 })),
  );
  r.post(
    "/assignments/new",
    (req, res, next) => orderFiles(req, res, next),
    csrfProtection,
    async (req, res) => {
      await postNewOrder(deps, req, res);
    },
  );
  r.post(
    "/assignments/:id/files",
    (req, res, next) => upload.single("file")(req, res, next),
    csrfProtection,
    async (req, res) => {
      const actor = actorOf(req);
      const t = tr(req);
      try {
        if (!req.file) throw new AppError(400, "file_required", t("upload.required"), "file");
        const kind = str(req.body?.kind) || "annex";
        await uploadDossierFile(deps, {
          actor,
          assignmentId: String(req.params.id),
          fileName: Buffer.from(req.file.originalname, "latin1").toString("utf8"),
          bytes: req.file.buffer,
          kind,
        });
      } catch (err) {
        if (err instanceof AppError && err.status < 500 && err.status !== 404)
          return showAssignment(
            deps,
            req,
            res,
            { type: "upload", values: {}, error: { field: err.field, message: err.message } },
            err.status,
          );
        throw err;
      }
      res.redirect(303, `/assignments/${req.params.id}?done=file.uploaded#files`);
    },
  );
  return r;
}

async function newOrderModel(deps: RuntimeDeps, req: Request) {
  const actor = actorOf(req);
  const t = tr(req);
  return {
    isStaff: hasRole(actor, "secretariat"),
    agencies: hasRole(actor, "secretariat") ? await agencyOptions(deps.db, actor) : [],
    types: ["critique", "consultancy", "assessment"].map((v) => ({ value: v, label: t(`type.${v}`) })),
    forms: ["council", "expert_group", "workshop", "written"].map((v) => ({ value: v, label: t(`form.${v}`) })),
    subjectKinds: SUBJECT_KINDS.map((v) => ({ value: v, label: t(`subjectKind.${v}`) })),
    urgencies: URGENCIES.map((v) => ({ value: v, label: t(`urgency.${v}`) })),
    fileFields: ["request_letter", "draft", "submission", "annex"].map((v) => ({ name: v, label: t(`fileKind.${v}`) })),
  };
}

async function postNewOrder(deps: RuntimeDeps, req: Request, res: Response) {
  const actor = actorOf(req);
  const b = (req.body ?? {}) as Record<string, unknown>;
  const formsRaw = b.forms === undefined ? [] : Array.isArray(b.forms) ? b.forms : [b.forms];
  const input: Record<string, unknown> = {
    type: str(b.type),
    forms: formsRaw,
    subjectKind: str(b.subjectKind),
    title: str(b.title).trim(),
    summary: str(b.summary).trim() || undefined,
    draftingAgency: str(b.draftingAgency).trim() || undefined,
    orderNumber: str(b.orderNumber).trim() || undefined,
    orderDate: str(b.orderDate) || undefined,
    requestedDeadline: str(b.requestedDeadline) || undefined,
    budget: str(b.budget).trim() ? Number(str(b.budget).replace(/[.\s,]/g, "")) : undefined,
    confidential: b.confidential === "on" ? true : undefined,
    urgency: str(b.urgency) || undefined,
    agencyId: str(b.agencyId) || undefined,
  };
  if (str(b.origin)) input.origin = str(b.origin);
  const files = (req.files ?? {}) as Record<string, Express.Multer.File[]>;
  let id: string;
  try {
    const parsed = parse(CreateOrderSchema, input);
    // The dossier's files are checked before the order is created, so a refused file creates nothing.
    for (const [kind, list] of Object.entries(files))
      for (const f of list) {
        try {
          checkFile(Buffer.from(f.originalname, "latin1").toString("utf8"), f.buffer);
        } catch (e) {
          if (e instanceof AppError) throw new AppError(e.status, e.code, e.message, kind);
          throw e;
        }
      }
    const row = await createOrder(deps, { actor, input: parsed });
    id = row.id;
  } catch (err) {
    if (err instanceof AppError && err.status < 500) {
      const field = err.field?.split(".")[0];
      return render(
        req,
        res,
        "newOrder",
        {
          ...(await newOrderModel(deps, req)),
          values: { ...input, forms: formsRaw },
          error: err.message,
          errorField: field,
          errors: field ? { [field]: err.message } : {},
        },
        err.status,
      );
    }
    throw err;
  }
  for (const [kind, list] of Object.entries(files)) {
    for (const f of list)
      await uploadDossierFile(deps, {
        actor,
        assignmentId: id,
        fileName: Buffer.from(f.originalname, "latin1").toString("utf8"),
        bytes: f.buffer,
        kind: (FILE_KINDS as readonly string[]).includes(kind) ? kind : "annex",
      });
  }
  res.redirect(303, `/assignments/${id}?done=order.created`);
}

/** Renders the assignment page, optionally with a failed form's values and error. */
export async function showAssignment(deps: RuntimeDeps, req: Request, res: Response, form?: FormState, status = 200) {
  const actor = actorOf(req);
  const id = String(req.params.id);
  const now = deps.clock.now();
  const d = (await assignmentDetail(deps.db, actor, id, now)) as Record<string, unknown>;
  const row = await loadAssignment(deps.db, actor, id);
  d.contextOverdue = (row.snapshot as { context?: { overdue?: string[] } }).context?.overdue ?? [];
  const model = presentAssignmentPage(d, { t: tr(req), roles: actor.roles, expertId: actor.expertId, now, form });
  render(
    req,
    res,
    "assignment",
    {
      ...model,
      title: `${d.code as string} · ${d.title as string}`,
      uploadError: form?.type === "upload" ? form.error.message : null,
    },
    status,
  );
}

export function assignmentPages(deps: RuntimeDeps) {
  const r = Router();
  const { db, clock } = deps;

  const list = (queue: boolean) => async (req: Request, res: Response) => {
    const actor = actorOf(req);
    const t = tr(req);
    const q = req.query;
    const f = {
      state: STATES.includes(str(q.state)) ? str(q.state) : undefined,
      type: ["consultancy", "critique", "assessment"].includes(str(q.type)) ? str(q.type) : undefined,
      agencyId: /^[0-9a-f-]{36}$/.test(str(q.agencyId)) ? str(q.agencyId) : undefined,
      overdue: q.overdue === "true",
      q: str(q.q).slice(0, 200),
      page: Number(str(q.page)) || 1,
    };
    const result = await listAssignments(db, actor, clock.now(), {
      ...f,
      order: queue ? "due" : "updated",
      ...(queue ? { state: f.state } : {}),
    });
    const rows = result.rows.map((x) => ({
      ...x,
      stateLabel: t(`state.${x.state}`),
      typeLabel: t(`type.${x.type}`),
      waitingOnLabel: x.waitingOn ? t(`role.${x.waitingOn}`) : "",
    }));
    const qs = (page: number) =>
      "?" +
      new URLSearchParams({
        ...Object.fromEntries(
          Object.entries(f)
            .filter(([, v]) => v && v !== 1)
            .map(([k, v]) => [k, String(v)]),
        ),
        page: String(page),
      }).toString();
    render(req, res, "assignments", {
      title: t(queue ? "title.queue" : "title.assignments"),
      queue,
      rows,
      total: new Intl.NumberFormat(req.locale === "en" ? "en" : "vi").format(result.total),
      totalCapped: result.totalCapped,
      f,
      prev: result.page > 1 ? qs(result.page - 1) : null,
      next: result.page < result.pages || result.totalCapped ? qs(result.page + 1) : null,
      page: result.page,
      pages: result.pages,
      states: STATES.map((s) => ({ value: s, label: t(`stage.${s}`), selected: s === f.state })),
      types: ["critique", "consultancy", "assessment"].map((v) => ({
        value: v,
        label: t(`type.${v}`),
        selected: v === f.type,
      })),
      agencies: (await agencyOptions(db, actor)).map((a) => ({
        value: a.id,
        label: a.name,
        selected: a.id === f.agencyId,
      })),
      showAgencyFilter: !hasRole(actor, "agency") || actor.roles.length > 1,
    });
  };
  r.get("/assignments", list(false));
  r.get("/queue", list(true));

  r.get("/assignments/new", async (req, res) => {
    render(req, res, "newOrder", {
      ...(await newOrderModel(deps, req)),
      values: { type: "critique", forms: ["council"], subjectKind: "scheme" },
      errors: {},
    });
  });

  r.get("/assignments/:id", async (req, res) => showAssignment(deps, req, res));

  r.post("/assignments/:id/events", postAssignmentEvent(deps));

  return r;
}
