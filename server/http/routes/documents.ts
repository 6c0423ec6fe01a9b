/**
 * Official documents over the JSON API: /api/v1/documents/:id/pdf — the stored bytes of an issued
 * document (never re-rendered), or a fresh draft render; /api/v1/documents/:id/corrections — a
 * correction is a new numbered document that references the one it corrects; the register; draft
 * previews; the periodic activity report; /api/v1/assignments/:id/report.docx — the latest report
 * draft for Word. The public /verify pages are in verify.ts.
 */
import { Router } from "express";
import { z } from "zod";
import { ConflictError, ForbiddenError } from "../../errors.js";
import type { RuntimeDeps } from "../../runtime/applyEvent.js";
import type { DocumentService } from "../../documents/service.js";
import { hasRole } from "../../policies/staffPolicy.js";
import { issueActivityReport } from "../../commands/issueActivityReport.js";
import { listDocuments } from "../../queries/listDocuments.js";
import { loadDocument } from "../../queries/loadDocument.js";
import { readDocumentPdf } from "../../queries/readDocumentPdf.js";
import { renderDraftPreview } from "../../queries/renderDraftPreview.js";
import { renderReportDocx } from "../../queries/renderReportDocx.js";
import { presentDocument } from "../../presenters/documentPresenter.js";
import { parse } from "../validate.js";
import { actorOf } from "../auth.js";
import { sendDownload } from "../send.js";
import type { Handler } from "../handler.js";
import { correctDocument } from "../../commands/correctDocument.js";

/** `?expertId=` names the expert of a per-expert draft (invitation letter, the expert's opinion). */
const DraftPreviewQuery = z.object({ expertId: z.string().uuid().optional() });
const CorrectionSchema = z.object({ reason: z.string().trim().min(3).max(2000) }).strict();
const ActivityReportSchema = z
  .object({
    year: z.number().int().min(2014).max(2100),
    quarter: z.number().int().min(1).max(4).optional(),
    /** A later report for a period already reported is a correction of it, with this reason. */
    correctionReason: z.string().trim().min(1).max(2000).optional(),
  })
  .strict();
const PDF = "application/pdf";
const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

type DocumentDeps = RuntimeDeps & { documents: DocumentService };

/** The authenticated document routes (mounted under /api/v1 after requireActor). */
export function documentRoutes(deps: DocumentDeps): Router {
  const r = Router();
  r.get("/documents/:id/pdf", getPdf(deps));
  r.post("/documents/:id/corrections", postCorrection(deps));
  r.get("/assignments/:id/drafts/:kind", getDraftPreview(deps));
  r.post("/activity-reports", postActivityReport(deps));
  r.get("/documents", getRegister(deps));
  r.get("/assignments/:id/report.docx", getReportDocx(deps));
  return r;
}

/** GET /documents/:id/pdf: an issued document's stored bytes, or a draft render; 409 while it is being rendered. */
function getPdf(deps: DocumentDeps): Handler<"id"> {
  return async (req, res) => {
    const pdf = await readDocumentPdf(deps, actorOf(req), req.params.id);
    if (pdf.status === "issuing") {
      res.setHeader("Retry-After", "5");
      throw new ConflictError("document_not_ready", pdf.reason);
    }
    if (pdf.status === "issued") res.setHeader("X-Content-SHA256", pdf.sha256);
    res.setHeader("Cache-Control", pdf.status === "issued" ? "private, max-age=31536000, immutable" : "no-store");
    sendDownload(res, { bytes: pdf.bytes, fileName: pdf.fileName, contentType: PDF, disposition: "inline" });
  };
}

/** POST /documents/:id/corrections: issues a numbered correction of an issued document. */
function postCorrection(deps: DocumentDeps): Handler<"id"> {
  return async (req, res) => {
    const { reason } = parse(CorrectionSchema, req.body ?? {});
    const created = await correctDocument(deps, { actor: actorOf(req), documentId: req.params.id, reason });
    res.status(201).json({ data: presentDocument(created) });
  };
}

/** GET /assignments/:id/drafts/:kind: a draft preview (DỰ THẢO, no number) before anyone issues it. */
function getDraftPreview(deps: DocumentDeps): Handler<"id" | "kind"> {
  return async (req, res) => {
    const { expertId } = parse(DraftPreviewQuery, req.query ?? {});
    const draft = await renderDraftPreview(deps, actorOf(req), req.params.id, req.params.kind, expertId);
    res.setHeader("Cache-Control", "no-store");
    sendDownload(res, { ...draft, contentType: PDF, disposition: "inline" });
  };
}

/** POST /activity-reports: the periodic report to the province and VUSTA, numbered in the BC register. */
function postActivityReport(deps: DocumentDeps): Handler {
  return async (req, res) => {
    const input = parse(ActivityReportSchema, req.body ?? {});
    const doc = await issueActivityReport(deps, { actor: actorOf(req), ...input });
    res.status(201).json({ data: presentDocument(doc) });
  };
}

/** GET /documents: the document register (staff). */
function getRegister({ db }: DocumentDeps): Handler {
  return async (req, res) => {
    res.json({ data: (await listDocuments(db, actorOf(req))).map(presentDocument) });
  };
}

/** GET /assignments/:id/report.docx: the latest report draft as a Word file. */
function getReportDocx(deps: DocumentDeps): Handler<"id"> {
  return async (req, res) => {
    const docx = await renderReportDocx(deps, actorOf(req), req.params.id);
    sendDownload(res, { ...docx, contentType: DOCX, disposition: "attachment" });
  };
}
