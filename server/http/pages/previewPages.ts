/**
 * Inline preview of the dossier's PDF and image files (issue 14 §6): a page with the file in a frame
 * (PDF) or as an image, and the bytes themselves served inline with their exact type, `nosniff`, and
 * a policy that runs nothing. Other types are refused (415): they are downloaded, never shown.
 */
import type { Request, Response } from "express";
import { loadFilePreview } from "../../queries/loadFilePreview.js";
import { sendDownload } from "../send.js";
import { actorOf, render } from "./context.js";
import { get, type PageDeps } from "./pageRoute.js";

async function showPreview(deps: PageDeps, req: Request, res: Response) {
  const id = String(req.params.id);
  const p = await loadFilePreview(deps.db, actorOf(req), id, String(req.params.fileId));
  const base = `/assignments/${id}/files/${p.file.id}`;
  render(req, res, "filePreview", {
    title: p.file.fileName,
    fileName: p.file.fileName,
    pdf: p.kind === "pdf",
    viewUrl: `${base}/view`,
    downloadUrl: `/api/v1/assignments/${id}/files/${p.file.id}`,
    backUrl: `/assignments/${id}#files`,
  });
}

async function viewInline(deps: PageDeps, req: Request, res: Response) {
  const p = await loadFilePreview(deps.db, actorOf(req), String(req.params.id), String(req.params.fileId));
  res.setHeader(
    "Content-Security-Policy",
    "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'",
  );
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Cache-Control", "private, no-store");
  sendDownload(res, {
    bytes: p.bytes,
    fileName: p.file.fileName,
    contentType: p.file.contentType,
    disposition: "inline",
  });
}

/** GET /assignments/:id/files/:fileId/preview (the page), …/view (the bytes, inline). */
export const previewPages = [
  get("/assignments/:id/files/:fileId/preview", showPreview),
  get("/assignments/:id/files/:fileId/view", viewInline),
];
