/** /api/v1/assignments: list, create, read, send events, dossier files, opinions, report drafts. */
import { Router, type Request } from "express";
import multer from "multer";
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import {
  agencies,
  assignments,
  blobs,
  deadlines,
  documents,
  dossierFiles,
  experts,
  history,
  invitations,
  opinionVersions,
  recommendationResponses,
  recommendations,
  reportVersions,
} from "../../db/schema.js";
import { AppError, NotFoundError, ValidationError } from "../../errors.js";
import { hasRole, type Actor } from "../../runtime/actor.js";
import { allowedEvents, type AssignmentRow, type RuntimeDeps } from "../../runtime/applyEvent.js";
import { waitingOn } from "../../presenters/waitingOn.js";
import { label } from "../../words/catalogue.js";
import { assignmentMachine } from "../../../workflows/assignment/assignmentMachine.js";
import { loadAssignment, mayAttempt, USER_EVENTS } from "../../policies/assignmentPolicy.js";
import { createOrder } from "../../commands/createOrder.js";
import { sendAssignmentEvent } from "../../commands/sendAssignmentEvent.js";
import { uploadDossierFile, MAX_FILE_BYTES } from "../../commands/uploadDossierFile.js";
import { editOpinionOnBehalf, saveOpinionDraft, submitOpinion } from "../../commands/opinions.js";
import { saveReportDraft } from "../../commands/reports.js";
import { presentAssignment } from "../../presenters/assignmentPresenter.js";
import { listAssignments } from "../pages/queries.js";
import {
  CreateOrderSchema,
  EVENT_SCHEMAS,
  EventSchema,
  FileKindSchema,
  ListAssignmentsQuery,
  OpinionContentSchema,
  OpinionOnBehalfSchema,
  SaveReportSchema,
} from "../schemas.js";
import { parse } from "../validate.js";
import { sampleEvent } from "./sampleEvents.js";
import type { Executor } from "../../db/connect.js";

const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 10 } });
const actorOf = (req: Request) => req.actor as Actor;

/** The events this actor may send to the assignment now (roles, then the machine's guards). */
function allowedFor(a: AssignmentRow, actor: Actor): string[] {
  const ctx = ((a.snapshot as { context?: Record<string, unknown> }).context ?? {}) as Record<string, unknown>;
  const candidates = USER_EVENTS.filter((t) => mayAttempt(actor, t, a));
  return allowedEvents(assignmentMachine, a.snapshot, candidates, (t) => sampleEvent(t, ctx, actor));
}

/** Loads everything the detail view needs and presents it for this actor. */
export async function assignmentDetail(db: Executor, actor: Actor, id: string, now: Date) {
  const a = await loadAssignment(db, actor, id);
  const staff = hasRole(actor, "secretariat", "leadership", "clerk", "admin");
  const [agency] = a.agencyId
    ? await db.select({ name: agencies.name }).from(agencies).where(eq(agencies.id, a.agencyId))
    : [];
  const [hist, dls, invs, ops, docs, files, recs] = await Promise.all([
    db.select().from(history).where(eq(history.assignmentId, a.id)).orderBy(asc(history.id)),
    db
      .select()
      .from(deadlines)
      .where(and(eq(deadlines.assignmentId, a.id), inArray(deadlines.status, ["pending", "paused"]))),
    db
      .select({ i: invitations, e: experts })
      .from(invitations)
      .innerJoin(experts, eq(experts.id, invitations.expertId))
      .where(eq(invitations.assignmentId, a.id))
      .orderBy(asc(invitations.rank)),
    db
      .select()
      .from(opinionVersions)
      .where(eq(opinionVersions.assignmentId, a.id))
      .orderBy(asc(opinionVersions.expertId), asc(opinionVersions.version)),
    db.select().from(documents).where(eq(documents.assignmentId, a.id)).orderBy(asc(documents.createdAt)),
    db.select().from(dossierFiles).where(eq(dossierFiles.assignmentId, a.id)).orderBy(asc(dossierFiles.uploadedAt)),
    db
      .select()
      .from(recommendations)
      .where(eq(recommendations.assignmentId, a.id))
      .orderBy(asc(recommendations.round), asc(recommendations.number)),
  ]);
  const responses = recs.length
    ? await db
        .select()
        .from(recommendationResponses)
        .where(
          inArray(
            recommendationResponses.recommendationId,
            recs.map((r) => r.id),
          ),
        )
    : [];
  // Experts see their own opinions; staff see submitted ones (and nobody sees another's draft).
  const visibleOpinions = ops.filter(
    (o) => (actor.expertId && o.expertId === actor.expertId) || (staff && o.status === "submitted"),
  );
  const allowed = allowedFor(a, actor);
  const isAgencyOnly = !staff && !actor.expertId;
  return presentAssignment({
    assignment: a,
    agencyName: agency?.name ?? null,
    now,
    allowedEvents: allowed,
    history: hist,
    deadlines: dls,
    invitations: isAgencyOnly ? [] : invs.map((r) => ({ ...r.i, expert: r.e })),
    opinions: visibleOpinions,
    documents: docs.filter((d) => staff || d.status === "issued"),
    files: files.filter((f) => !f.confidential || staff || !!actor.expertId),
    recommendations: recs.map((r) => ({ ...r, responses: responses.filter((x) => x.recommendationId === r.id) })),
    showPanelContacts: staff,
  });
}

/**
 * The answer to an event: the assignment's new state and version and the events this actor may
 * send next (as in the detail's `can`), without re-reading anything.
 */
function eventOutcome(a: AssignmentRow, actor: Actor) {
  const can = allowedFor(a, actor);
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

export function assignmentRoutes(deps: RuntimeDeps) {
  const r = Router();
  const { db, clock } = deps;

  r.get("/assignments", async (req, res) => {
    const q = parse(ListAssignmentsQuery, req.query);
    const list = await listAssignments(db, actorOf(req), clock.now(), {
      ...q,
      overdue: q.overdue === "true",
      limit: q.limit,
      page: q.page,
    });
    res.json({
      data: list.rows.map(({ dueSoon: _d, ...row }) => row),
      meta: { page: q.page, limit: q.limit, total: list.total, totalCapped: list.totalCapped },
    });
  });

  r.post("/assignments", async (req, res) => {
    const input = parse(CreateOrderSchema, req.body);
    const row = await createOrder(deps, { actor: actorOf(req), input });
    res
      .status(201)
      .location(`/api/v1/assignments/${row.id}`)
      .json({ data: await assignmentDetail(db, actorOf(req), row.id, clock.now()) });
  });

  r.get("/assignments/:id", async (req, res) => {
    res.json({ data: await assignmentDetail(db, actorOf(req), req.params.id, clock.now()) });
  });

  r.post("/assignments/:id/events", async (req, res) => {
    const body = req.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== "object" || Array.isArray(body))
      throw new ValidationError("validation_failed", "Cần gửi một đối tượng JSON.");
    if (typeof body.type !== "string")
      throw new ValidationError("validation_failed", "Thiếu loại sự kiện (type).", "type");
    if (!(body.type in EVENT_SCHEMAS))
      throw new ValidationError("unknown_event", `Không có sự kiện “${body.type}”.`, "type");
    const { expectedVersion, ...event } = parse(EventSchema, body) as {
      type: string;
      expectedVersion?: number;
    } & Record<string, unknown>;
    const actor = actorOf(req);
    const updated = await sendAssignmentEvent(deps, { actor, assignmentId: req.params.id, event, expectedVersion });
    // RFC 7240: the whole detail (timeline included) only when asked for; by default what changed.
    if (/\breturn=representation\b/.test(req.get("prefer") ?? "")) {
      res.setHeader("Preference-Applied", "return=representation");
      return void res.json({ data: await assignmentDetail(db, actor, updated.id, clock.now()) });
    }
    res.setHeader("Preference-Applied", "return=minimal");
    res.json({ data: eventOutcome(updated, actor) });
  });

  r.get("/assignments/:id/history", async (req, res) => {
    const a = await loadAssignment(db, actorOf(req), req.params.id);
    const rows = await db.select().from(history).where(eq(history.assignmentId, a.id)).orderBy(asc(history.id));
    res.json({
      data: rows.map((h) => ({
        id: h.id,
        at: h.createdAt.toISOString(),
        workflow: h.workflow,
        workflowId: h.workflowId,
        version: h.version,
        event: h.eventType,
        actor: h.actorName,
        from: h.fromState,
        to: h.toState,
        reason: h.reason,
        payload: h.payload,
      })),
    });
  });

  r.post(
    "/assignments/:id/files",
    (req, res, next) => upload.single("file")(req, res, next),
    async (req, res) => {
      if (!req.file) throw new ValidationError("file_required", "Cần chọn tệp để tải lên (trường “file”).", "file");
      const { kind } = parse(FileKindSchema, req.body ?? {});
      const fileName = Buffer.from(req.file.originalname, "latin1").toString("utf8");
      const row = await uploadDossierFile(deps, {
        actor: actorOf(req),
        assignmentId: req.params.id,
        fileName,
        bytes: req.file.buffer,
        kind,
      });
      res.status(201).json({
        data: {
          id: row.id,
          kind: row.kind,
          fileName: row.fileName,
          contentType: row.contentType,
          size: row.size,
          sha256: row.sha256,
        },
      });
    },
  );

  r.get("/assignments/:id/files/:fileId", async (req, res) => {
    const actor = actorOf(req);
    const a = await loadAssignment(db, actor, req.params.id);
    const [f] = await db
      .select()
      .from(dossierFiles)
      .where(and(eq(dossierFiles.id, req.params.fileId), eq(dossierFiles.assignmentId, a.id)));
    if (!f || (f.confidential && !hasRole(actor, "secretariat", "leadership", "clerk", "admin", "expert")))
      throw new NotFoundError("file_not_found", "Không tìm thấy tệp.");
    const [b] = await db.select().from(blobs).where(eq(blobs.sha256, f.sha256));
    res.setHeader("Content-Type", f.contentType);
    res.setHeader("Content-Disposition", `attachment; filename*=UTF-8''${encodeURIComponent(f.fileName)}`);
    res.setHeader("X-Content-SHA256", f.sha256);
    res.send(b.bytes);
  });

  r.put("/assignments/:id/opinion", async (req, res) => {
    const content = parse(OpinionContentSchema, req.body);
    const row = await saveOpinionDraft(deps, { actor: actorOf(req), assignmentId: req.params.id, content });
    res.json({ data: presentOpinion(row) });
  });

  r.post("/assignments/:id/opinion/submit", async (req, res) => {
    const row = await submitOpinion(deps, { actor: actorOf(req), assignmentId: req.params.id });
    res.json({ data: presentOpinion(row) });
  });

  r.post("/assignments/:id/opinions/:expertId/versions", async (req, res) => {
    const actor = actorOf(req);
    if (!hasRole(actor, "secretariat"))
      throw new AppError(403, "forbidden", "Chỉ Ban TVPB được chỉnh sửa thay chuyên gia.");
    const body = parse(OpinionOnBehalfSchema, req.body);
    const row = await editOpinionOnBehalf(deps, {
      actor,
      assignmentId: req.params.id,
      expertId: req.params.expertId,
      content: body.content,
      reason: body.reason,
    });
    res.status(201).json({ data: presentOpinion(row) });
  });

  r.get("/assignments/:id/report", async (req, res) => {
    const actor = actorOf(req);
    const a = await loadAssignment(db, actor, req.params.id);
    if (!hasRole(actor, "secretariat", "leadership", "clerk") && !actor.expertId)
      throw new AppError(403, "forbidden", "Bạn không xem được dự thảo báo cáo.");
    const rows = await db
      .select()
      .from(reportVersions)
      .where(eq(reportVersions.assignmentId, a.id))
      .orderBy(desc(reportVersions.version));
    res.json({
      data: rows.map((v) => ({
        version: v.version,
        content: v.content,
        note: v.note,
        createdAt: v.createdAt.toISOString(),
      })),
    });
  });

  r.post("/assignments/:id/report", async (req, res) => {
    const body = parse(SaveReportSchema, req.body);
    const row = await saveReportDraft(deps, {
      actor: actorOf(req),
      assignmentId: req.params.id,
      content: body.content,
      note: body.note,
    });
    res.status(201).json({ data: { version: row.version, createdAt: row.createdAt.toISOString() } });
  });

  return r;
}

function presentOpinion(o: typeof opinionVersions.$inferSelect) {
  return {
    id: o.id,
    expertId: o.expertId,
    version: o.version,
    status: o.status,
    content: o.content,
    reason: o.reason,
    submittedAt: o.submittedAt?.toISOString() ?? null,
  };
}
