/**
 * Official documents over HTTP.
 * - /api/v1/documents/:id/pdf — the stored bytes of an issued document (never re-rendered), or a
 *   fresh draft render; /api/v1/documents/:id/corrections — a correction is a new numbered
 *   document that references the one it corrects; /api/v1/assignments/:id/report.docx — the
 *   latest report draft for Word.
 * - /verify (public, no login): look a document up by its printed code, or upload a PDF to learn
 *   whether it is exactly an issued document.
 */
import { Router, type Request, type Response } from "express";
import { renderView } from "../../views/viewEngine.js";
import multer from "multer";
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { assignments, blobs, documents, history, organizations } from "../../db/schema.js";
import { AppError, ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../../errors.js";
import { hasRole, type Actor } from "../../runtime/actor.js";
import { inTransaction, newId, type RuntimeDeps } from "../../runtime/applyEvent.js";
import { allocateNumber, registerFor, registerYear } from "../../runtime/numbering.js";
import { queueEffect } from "../../runtime/records.js";
import { loadAssignment, panelSeatOf } from "../../policies/assignmentPolicy.js";
import type { DocumentService } from "../../documents/service.js";
import { DOCUMENT_KIND_INFO } from "../../documents/templates.js";
import { isDocumentKind, orgProfile } from "../../documents/viewModels.js";
import { normalizeVerifyCode, sha256Hex } from "../../documents/verification.js";
import { formatShortDate } from "../../documents/format.js";
import type { FinalReportModel } from "../../documents/types.js";
import type { Executor } from "../../db/connect.js";
import { parse } from "../validate.js";
import { issueActivityReport } from "../../commands/issueActivityReport.js";

const actorOf = (req: Request) => req.actor as Actor;
const STAFF = ["secretariat", "leadership", "clerk", "admin"] as const;
/** Largest PDF accepted by POST /verify. */
export const MAX_VERIFY_BYTES = 25 * 1024 * 1024;

const CorrectionSchema = z.object({ reason: z.string().trim().min(3).max(2000) }).strict();
const ActivityReportSchema = z
  .object({
    year: z.number().int().min(2014).max(2100),
    quarter: z.number().int().min(1).max(4).optional(),
  })
  .strict();
/** Kinds a secretariat previews as a draft of an assignment (the rest are per-expert or periodic). */
const PREVIEW_KINDS = [
  "requestDocuments",
  "declineLetter",
  "acceptanceLetter",
  "panelDecision",
  "meetingInvitation",
  "minutes",
  "finalReport",
  "coverLetter",
  "responseReminder",
];

type DocumentDeps = RuntimeDeps & { documents: DocumentService };

/** Loads a document the actor may see: same organisation, and its assignment visible (404 otherwise). */
async function loadDocument(db: Executor, actor: Actor, id: string) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new NotFoundError("document_not_found", "Không tìm thấy văn bản.");
  const [doc] = await db
    .select()
    .from(documents)
    .where(and(eq(documents.id, id), eq(documents.organizationId, actor.organizationId)));
  if (!doc) throw new NotFoundError("document_not_found", "Không tìm thấy văn bản.");
  const staff = hasRole(actor, ...STAFF);
  if (doc.assignmentId) {
    await loadAssignment(db, actor, doc.assignmentId).catch(() => {
      throw new NotFoundError("document_not_found", "Không tìm thấy văn bản.");
    });
  } else if (!staff) {
    throw new NotFoundError("document_not_found", "Không tìm thấy văn bản.");
  }
  // Outside staff see only what has been issued to them (as the assignment detail lists them).
  if (!staff && doc.status !== "issued") throw new NotFoundError("document_not_found", "Không tìm thấy văn bản.");
  return doc;
}

function fileName(doc: typeof documents.$inferSelect, ext: string): string {
  const label = (doc.numberLabel ?? "du-thao").replace(/[^\p{L}\p{N}-]+/gu, "-");
  return `${doc.kind}-${label}.${ext}`;
}

function attachment(res: Response, name: string, type: string) {
  res.setHeader("Content-Type", type);
  res.setHeader("Content-Disposition", `inline; filename*=UTF-8''${encodeURIComponent(name)}`);
}

/** The authenticated document routes (mounted under /api/v1 after requireActor). */
export function documentRoutes(deps: DocumentDeps) {
  const r = Router();
  const { db, clock } = deps;

  r.get("/documents/:id/pdf", async (req, res) => {
    const doc = await loadDocument(db, actorOf(req), req.params.id);
    if (doc.status === "issued" && doc.sha256) {
      const [blob] = await db.select().from(blobs).where(eq(blobs.sha256, doc.sha256));
      if (!blob) throw new AppError(500, "document_bytes_missing", "Không tìm thấy nội dung đã lưu của văn bản.");
      attachment(res, fileName(doc, "pdf"), "application/pdf");
      res.setHeader("X-Content-SHA256", doc.sha256);
      res.setHeader("Cache-Control", "private, max-age=31536000, immutable");
      res.send(blob.bytes);
      return;
    }
    if (doc.status === "issuing") {
      res.setHeader("Retry-After", "5");
      throw new ConflictError(
        "document_not_ready",
        deps.documents.unavailableReason() ?? "Văn bản đang được kết xuất; hãy thử lại sau giây lát.",
      );
    }
    const pdf = await deps.documents.renderDraft(doc.kind, {
      organizationId: doc.organizationId,
      assignmentId: doc.assignmentId,
      viewModel: doc.viewModel,
    });
    attachment(res, fileName(doc, "pdf"), "application/pdf");
    res.setHeader("Cache-Control", "no-store");
    res.send(pdf);
  });

  r.post("/documents/:id/corrections", async (req, res) => {
    const actor = actorOf(req);
    const { reason } = parse(CorrectionSchema, req.body ?? {});
    const created = await inTransaction(deps, async (tx) => {
      const original = await loadDocument(tx, actor, req.params.id);
      if (!hasRole(actor, "leadership", "clerk"))
        throw new ForbiddenError("Chỉ lãnh đạo hoặc văn thư được ban hành văn bản đính chính.");
      if (original.status !== "issued" || original.number === null || !original.register) {
        throw new ConflictError("document_not_issued", "Chỉ đính chính được văn bản đã ban hành có số.");
      }
      const [a] = original.assignmentId
        ? await tx.select().from(assignments).where(eq(assignments.id, original.assignmentId))
        : [];
      const now = clock.now();
      const register = registerFor(original.kind, a?.confidential ?? false);
      const year = registerYear(now);
      const number = await allocateNumber(tx, actor.organizationId, register, year);
      const id = newId();
      const source = ((original.viewModel as { source?: Record<string, unknown> } | null)?.source ?? {}) as Record<
        string,
        unknown
      >;
      const correction = {
        number: original.numberLabel ?? String(original.number),
        date: original.issuedAt!.toISOString(),
        reason,
      };
      const [row] = await tx
        .insert(documents)
        .values({
          id,
          organizationId: actor.organizationId,
          assignmentId: original.assignmentId,
          kind: original.kind,
          title: original.title,
          status: "issuing",
          register,
          year,
          number,
          correctsId: original.id,
          issuedBy: actor.id,
          issuedAt: now,
          createdAt: now,
          viewModel: { ...source, correction },
        })
        .returning();
      if (a) {
        // The assignment's history records the correction next to the machine's events.
        await tx.insert(history).values({
          organizationId: a.organizationId,
          assignmentId: a.id,
          workflow: "document",
          workflowId: id,
          version: 1,
          actorId: actor.id,
          actorName: actor.name,
          eventType: "document.correct",
          payload: { documentId: id, correctsId: original.id, kind: original.kind },
          fromState: a.state,
          toState: a.state,
          reason,
          createdAt: now,
        });
      }
      await queueEffect(tx, {
        organizationId: actor.organizationId,
        assignmentId: original.assignmentId,
        kind: "render",
        payload: { documentId: id },
        idempotencyKey: `document:${id}:render`,
        runAfter: now,
      });
      return row;
    });
    res.status(201).json({ data: presentDocument(created) });
  });

  // A draft preview (DỰ THẢO, no number) of an assignment's document before anyone issues it.
  r.get("/assignments/:id/drafts/:kind", async (req, res) => {
    const actor = actorOf(req);
    const a = await loadAssignment(db, actor, req.params.id);
    if (!hasRole(actor, "secretariat", "leadership", "clerk"))
      throw new ForbiddenError("Chỉ Ban TVPB, lãnh đạo và văn thư xem dự thảo văn bản.");
    const kind = req.params.kind.replace(/\.pdf$/, "");
    if (!PREVIEW_KINDS.includes(kind))
      throw new ValidationError("unknown_document_kind", `Không có loại văn bản “${kind}” để xem dự thảo.`, "kind");
    const pdf = await deps.documents.renderDraft(kind, { organizationId: a.organizationId, assignmentId: a.id });
    attachment(res, `du-thao-${kind}-${a.code}.pdf`, "application/pdf");
    res.setHeader("Cache-Control", "no-store");
    res.send(pdf);
  });

  // The periodic activity report to the province and VUSTA: issued with a number of the BC register.
  r.post("/activity-reports", async (req, res) => {
    const input = parse(ActivityReportSchema, req.body ?? {});
    const doc = await issueActivityReport(deps, { actor: actorOf(req), year: input.year, quarter: input.quarter });
    res.status(201).json({ data: presentDocument(doc) });
  });

  r.get("/documents", async (req, res) => {
    const actor = actorOf(req);
    if (!hasRole(actor, ...STAFF)) throw new ForbiddenError();
    const rows = await db
      .select()
      .from(documents)
      .where(and(eq(documents.organizationId, actor.organizationId), inArray(documents.status, ["issuing", "issued"])))
      .orderBy(desc(documents.issuedAt))
      .limit(200);
    res.json({ data: rows.map(presentDocument) });
  });

  r.get("/assignments/:id/report.docx", async (req, res) => {
    const actor = actorOf(req);
    const a = await loadAssignment(db, actor, req.params.id);
    if (!hasRole(actor, "secretariat", "leadership", "clerk") && !(await panelSeatOf(db, actor, a.id))) {
      throw new ForbiddenError("Bạn không tải được dự thảo báo cáo.");
    }
    const built = await deps.documents.draftViewModel("finalReport", {
      organizationId: a.organizationId,
      assignmentId: a.id,
    });
    const { reportToDocx } = await import("../../documents/docx.js"); // loaded on first use: start-up time
    const bytes = await reportToDocx(built.vm as FinalReportModel, { draft: true });
    attachment(
      res,
      `du-thao-bao-cao-${a.code}.docx`,
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    );
    res.setHeader(
      "Content-Disposition",
      `attachment; filename*=UTF-8''${encodeURIComponent(`du-thao-bao-cao-${a.code}.docx`)}`,
    );
    res.send(bytes);
  });

  return r;
}

/** A document as the API returns it. */
export function presentDocument(d: typeof documents.$inferSelect) {
  return {
    id: d.id,
    kind: d.kind,
    title: d.title,
    status: d.status,
    register: d.register,
    year: d.year,
    number: d.number,
    numberLabel: d.numberLabel,
    sha256: d.sha256,
    verifyCode: d.verifyCode,
    correctsId: d.correctsId,
    issuedAt: d.issuedAt?.toISOString() ?? null,
  };
}

// ---------------------------------------------------------------------------------------------
// Public verification.

type PublicDocument = {
  type: string;
  number: string | null;
  date: string;
  issuedAt: string;
  issuer: string;
  subject: string;
  verifyCode: string;
  sha256: string;
  signed: boolean;
  corrects?: { number: string | null; date: string };
  correctedBy?: { number: string | null; date: string; verifyCode: string | null };
};

async function publicDocument(db: Executor, doc: typeof documents.$inferSelect): Promise<PublicDocument> {
  const [org] = await db.select().from(organizations).where(eq(organizations.id, doc.organizationId));
  const vm = (
    doc.viewModel as {
      vm?: { summary?: string; subject?: { title: string }; title?: string; periodLabel?: string };
    } | null
  )?.vm;
  const kind = isDocumentKind(doc.kind) ? DOCUMENT_KIND_INFO[doc.kind].typeName : doc.kind;
  const [corrects] = doc.correctsId ? await db.select().from(documents).where(eq(documents.id, doc.correctsId)) : [];
  const [correctedBy] = await db
    .select()
    .from(documents)
    .where(and(eq(documents.correctsId, doc.id), inArray(documents.status, ["issued"])))
    .orderBy(desc(documents.issuedAt))
    .limit(1);
  const [blob] = doc.sha256
    ? await db.select({ bytes: blobs.bytes }).from(blobs).where(eq(blobs.sha256, doc.sha256))
    : [];
  const short = (d: Date | null) => (d ? formatShortDate(d) : "");
  return {
    type: kind,
    number: doc.numberLabel,
    date: short(doc.issuedAt),
    issuedAt: doc.issuedAt?.toISOString() ?? "",
    issuer: org ? orgProfile(org).profile.displayName : "",
    subject: vm?.summary ? `V/v ${vm.summary}` : (vm?.subject?.title ?? vm?.title ?? vm?.periodLabel ?? doc.title),
    verifyCode: doc.verifyCode ?? "",
    sha256: doc.sha256 ?? "",
    signed: !!blob && blob.bytes.includes(Buffer.from("/ByteRange")),
    ...(corrects ? { corrects: { number: corrects.numberLabel, date: short(corrects.issuedAt) } } : {}),
    ...(correctedBy
      ? {
          correctedBy: {
            number: correctedBy.numberLabel,
            date: short(correctedBy.issuedAt),
            verifyCode: correctedBy.verifyCode,
          },
        }
      : {}),
  };
}

function sendPage(res: Response, status: number, title: string, view: string, data: Record<string, unknown>) {
  res
    .status(status)
    .type("html")
    .send(renderView("verify", view, { ...data, title }));
}

function respond(
  req: Request,
  res: Response,
  found: PublicDocument | null,
  how: "code" | "file",
  extra: Record<string, unknown> = {},
) {
  const status = found || how === "file" ? 200 : 404;
  const message = found
    ? how === "file"
      ? "Tệp tải lên đúng từng byte là văn bản đã ban hành dưới đây."
      : "Mã xác thực hợp lệ: văn bản đã được ban hành như dưới đây."
    : how === "file"
      ? "Tệp tải lên KHÔNG trùng khớp với bất kỳ văn bản nào đã ban hành (tệp có thể đã bị thay đổi)."
      : "Không tìm thấy văn bản nào có mã xác thực này.";
  res.format({
    json: () => {
      if (!found && how === "code")
        return void res.status(404).json({ error: { code: "document_not_found", message } });
      res.status(200).json({ data: { match: !!found, ...extra, ...(found ? { document: found } : {}) } });
    },
    html: () =>
      sendPage(res, status, found ? (found.number ?? found.type) : "Không hợp lệ", "document", {
        heading: "Xác thực văn bản",
        found: !!found,
        message,
        document: found,
      }),
    default: () => void res.status(406).end(),
  });
}

/** The public /verify pages (no login, no CSRF: they change nothing). */
export function verifyRoutes(deps: { db: Executor }) {
  const r = Router();
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: MAX_VERIFY_BYTES, files: 1, fields: 2 },
  });

  r.get("/verify", (_req, res) =>
    sendPage(res, 200, "Xác thực văn bản", "upload", { maxMb: MAX_VERIFY_BYTES / 1024 / 1024 }),
  );

  r.get("/verify/:code", async (req, res) => {
    if (typeof req.query.code === "string") {
      const typed = normalizeVerifyCode(req.query.code);
      return void res.redirect(303, `/verify/${encodeURIComponent(typed ?? req.query.code.slice(0, 20))}`);
    }
    const code = normalizeVerifyCode(req.params.code);
    const [doc] = code
      ? await deps.db
          .select()
          .from(documents)
          .where(and(eq(documents.verifyCode, code), eq(documents.status, "issued")))
      : [];
    respond(req, res, doc ? await publicDocument(deps.db, doc) : null, "code");
  });

  r.post(
    "/verify",
    (req, res, next) => upload.single("file")(req, res, next),
    async (req, res) => {
      if (!req.file)
        throw new ValidationError("file_required", "Cần chọn tệp PDF để kiểm tra (trường “file”).", "file");
      const sha256 = sha256Hex(req.file.buffer);
      const [doc] = await deps.db
        .select()
        .from(documents)
        .where(and(eq(documents.sha256, sha256), eq(documents.status, "issued")))
        .orderBy(asc(documents.issuedAt))
        .limit(1);
      respond(req, res, doc ? await publicDocument(deps.db, doc) : null, "file", { sha256 });
    },
  );

  return r;
}
