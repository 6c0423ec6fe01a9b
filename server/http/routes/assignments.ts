/** /api/v1/assignments: list, create, read, send events, dossier files, opinions, report drafts. */
import { Router } from "express";
import multer from "multer";
import { ValidationError } from "../../errors.js";
import type { Actor } from "../../runtime/actor.js";
import type { EventAssignment, RuntimeDeps } from "../../runtime/applyEvent.js";
import { waitingOn } from "../../presenters/waitingOn.js";
import { label } from "../../words/catalogue.js";
import { requireOnBehalfEditor } from "../../policies/opinionPolicy.js";
import { createOrder } from "../../commands/createOrder.js";
import { assignStaff } from "../../commands/assignStaff.js";
import { sendAssignmentEvent } from "../../commands/sendAssignmentEvent.js";
import { uploadDossierFile, MAX_FILE_BYTES } from "../../commands/uploadDossierFile.js";
import { editOpinionOnBehalf, saveOpinionDraft, submitOpinion } from "../../commands/opinions.js";
import { saveReportDraft } from "../../commands/reports.js";
import { allowedEventsFor } from "../../queries/allowedEventsFor.js";
import { listAssignments } from "../../queries/listAssignments.js";
import { listHistory } from "../../queries/listHistory.js";
import { listReportVersions } from "../../queries/listReportVersions.js";
import { loadAssignmentDetail as assignmentDetail } from "../../queries/loadAssignmentDetail.js";
import { loadDossierFile } from "../../queries/loadDossierFile.js";
import { presentDossierFile } from "../../presenters/dossierFilePresenter.js";
import { presentHistoryEntry } from "../../presenters/historyPresenter.js";
import { presentOpinion, presentReportVersion } from "../../presenters/opinionPresenter.js";
import {
  CreateOrderSchema,
  EventBodySchema,
  FileKindSchema,
  ListAssignmentsQuery,
  OpinionContentSchema,
  OpinionOnBehalfSchema,
  SaveReportSchema,
  StaffChangeSchema,
} from "../schemas.js";
import { guardMultipart } from "../inputGuards.js";
import { parse } from "../validate.js";
import { actorOf } from "../auth.js";
import { sendDownload } from "../send.js";
import type { Handler } from "../handler.js";

const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 10 } });

/** The assignment routes (mounted under /api/v1 after requireActor). */
export function assignmentRoutes(deps: RuntimeDeps): Router {
  const r = Router();
  r.get("/assignments", getList(deps));
  r.post("/assignments", postAssignment(deps));
  r.get("/assignments/:id", getAssignment(deps));
  r.post("/assignments/:id/events", postEvent(deps));
  r.get("/assignments/:id/history", getHistory(deps));
  r.post("/assignments/:id/staff", postStaff(deps));
  r.post("/assignments/:id/files", guardMultipart(upload.single("file")), postFile(deps));
  r.get("/assignments/:id/files/:fileId", getFile(deps));
  r.put("/assignments/:id/opinion", putOpinion(deps));
  r.post("/assignments/:id/opinion/submit", postOpinionSubmit(deps));
  r.post("/assignments/:id/opinions/:expertId/versions", postOpinionVersion(deps));
  r.get("/assignments/:id/report", getReport(deps));
  r.post("/assignments/:id/report", postReport(deps));
  return r;
}

/** GET /assignments: the assignments the caller may see, filtered and paged. */
function getList({ db, clock }: RuntimeDeps): Handler {
  return async (req, res) => {
    const q = parse(ListAssignmentsQuery, req.query);
    const filters = { ...q, overdue: q.overdue === "true", limit: q.limit, page: q.page };
    const list = await listAssignments(db, actorOf(req), clock.now(), filters);
    res.json({
      data: list.rows.map(({ dueSoon: _d, ...row }) => row),
      meta: {
        page: q.page,
        limit: q.limit,
        total: list.total,
        totalCapped: list.totalCapped,
        sort: list.sort,
        dir: list.dir,
        nextCursor: list.nextCursor,
        prevCursor: list.prevCursor,
      },
    });
  };
}

/** POST /assignments: an agency (or the secretariat on its behalf) places an order. */
function postAssignment(deps: RuntimeDeps): Handler {
  return async (req, res) => {
    const input = parse(CreateOrderSchema, req.body);
    const row = await createOrder(deps, { actor: actorOf(req), input });
    const detail = await assignmentDetail(deps.db, actorOf(req), row.id, deps.clock.now());
    res.status(201).location(`/api/v1/assignments/${row.id}`).json({ data: detail });
  };
}

/** GET /assignments/:id: the detail, with the events the caller may send now. */
function getAssignment({ db, clock }: RuntimeDeps): Handler<"id"> {
  return async (req, res) => {
    res.json({ data: await assignmentDetail(db, actorOf(req), req.params.id, clock.now()) });
  };
}

/**
 * The answer to an event: the assignment's new state and version and the events this actor may
 * send next (as in the detail's `can`), without re-reading anything.
 */
function eventOutcome(a: EventAssignment, actor: Actor) {
  const can = allowedEventsFor(a, actor);
  return {
    id: a.id,
    code: a.code,
    state: a.state,
    stateLabel: label("state", a.state),
    waitingOn: waitingOn(a.state),
    version: a.version,
    updatedAt: a.updatedAt.toISOString(),
    can: can.map((type) => ({ type })),
    links: { self: `/api/v1/assignments/${a.id}` },
  };
}

/** POST /assignments/:id/staff: leadership names (adds, removes) who works on the assignment. */
function postStaff(deps: RuntimeDeps): Handler<"id"> {
  return async (req, res) => {
    const change = parse(StaffChangeSchema, req.body);
    const staff = await assignStaff(deps, { actor: actorOf(req), assignmentId: req.params.id, change });
    res.json({ data: { staffUserIds: staff } });
  };
}

/** POST /assignments/:id/events: sends one event to the assignment's machine. */
function postEvent(deps: RuntimeDeps): Handler<"id"> {
  const { db, clock } = deps;
  return async (req, res) => {
    const { expectedVersion, ...event } = parse(EventBodySchema, req.body);
    const actor = actorOf(req);
    const updated = await sendAssignmentEvent(deps, { actor, assignmentId: req.params.id, event, expectedVersion });
    // RFC 7240: the whole detail (timeline included) only when asked for; by default what changed.
    if (/\breturn=representation\b/.test(req.get("prefer") ?? "")) {
      res.setHeader("Preference-Applied", "return=representation");
      return void res.json({ data: await assignmentDetail(db, actor, updated.id, clock.now()) });
    }
    res.setHeader("Preference-Applied", "return=minimal");
    res.json({ data: eventOutcome(updated, actor) });
  };
}

/** GET /assignments/:id/history: every transition, oldest first. */
function getHistory({ db }: RuntimeDeps): Handler<"id"> {
  return async (req, res) => {
    const rows = await listHistory(db, actorOf(req), req.params.id);
    res.json({ data: rows.map(presentHistoryEntry) });
  };
}

/** POST /assignments/:id/files (multipart, field "file"): adds a file to the dossier. */
function postFile(deps: RuntimeDeps): Handler<"id"> {
  return async (req, res) => {
    if (!req.file) throw new ValidationError("file_required", "Cần chọn tệp để tải lên (trường “file”).", "file");
    const { kind } = parse(FileKindSchema, req.body ?? {});
    // Multer reads the file name as latin1; browsers send UTF-8.
    const fileName = Buffer.from(req.file.originalname, "latin1").toString("utf8");
    const props = { actor: actorOf(req), assignmentId: req.params.id, fileName, bytes: req.file.buffer, kind };
    const row = await uploadDossierFile(deps, props);
    res.status(201).json({ data: presentDossierFile(row) });
  };
}

/** GET /assignments/:id/files/:fileId: a dossier file's bytes, as an attachment. */
function getFile({ db }: RuntimeDeps): Handler<"id" | "fileId"> {
  return async (req, res) => {
    const { file, bytes } = await loadDossierFile(db, actorOf(req), req.params.id, req.params.fileId);
    res.setHeader("X-Content-SHA256", file.sha256);
    sendDownload(res, { bytes, fileName: file.fileName, contentType: file.contentType, disposition: "attachment" });
  };
}

/** PUT /assignments/:id/opinion: saves the caller's opinion draft. */
function putOpinion(deps: RuntimeDeps): Handler<"id"> {
  return async (req, res) => {
    const content = parse(OpinionContentSchema, req.body);
    const row = await saveOpinionDraft(deps, { actor: actorOf(req), assignmentId: req.params.id, content });
    res.json({ data: presentOpinion(row) });
  };
}

/** POST /assignments/:id/opinion/submit: submits the caller's opinion. */
function postOpinionSubmit(deps: RuntimeDeps): Handler<"id"> {
  return async (req, res) => {
    const row = await submitOpinion(deps, { actor: actorOf(req), assignmentId: req.params.id });
    res.json({ data: presentOpinion(row) });
  };
}

/** POST /assignments/:id/opinions/:expertId/versions: the secretariat edits an opinion on an expert's behalf. */
function postOpinionVersion(deps: RuntimeDeps): Handler<"id" | "expertId"> {
  return async (req, res) => {
    const actor = actorOf(req);
    requireOnBehalfEditor(actor);
    const { content, reason } = parse(OpinionOnBehalfSchema, req.body);
    const props = { actor, assignmentId: req.params.id, expertId: req.params.expertId, content, reason };
    res.status(201).json({ data: presentOpinion(await editOpinionOnBehalf(deps, props)) });
  };
}

/** GET /assignments/:id/report: the versions of the report draft, newest first. */
function getReport({ db }: RuntimeDeps): Handler<"id"> {
  return async (req, res) => {
    const rows = await listReportVersions(db, actorOf(req), req.params.id);
    res.json({ data: rows.map(presentReportVersion) });
  };
}

/** POST /assignments/:id/report: saves a new version of the report draft. */
function postReport(deps: RuntimeDeps): Handler<"id"> {
  return async (req, res) => {
    const { content, note } = parse(SaveReportSchema, req.body);
    const row = await saveReportDraft(deps, { actor: actorOf(req), assignmentId: req.params.id, content, note });
    res.status(201).json({ data: { version: row.version, createdAt: row.createdAt.toISOString() } });
  };
}
