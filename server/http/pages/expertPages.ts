/**
 * The expert registry: the list, adding one expert, and importing many from CSV or Excel (upload
 * → preview with per-row errors → confirm → a long operation whose progress page follows it).
 */
import type { Request, Response } from "express";
import multer from "multer";
import { AppError, NotFoundError } from "../../errors.js";
import { authorizePage } from "../../policies/pagePolicy.js";
import { createExpert } from "../../commands/registry.js";
import { EXPERT_IMPORT_LIMITS, startExpertImport, xlsxToCsv } from "../../commands/startExpertImport.js";
import { findImportProgress } from "../../queries/findImportProgress.js";
import { loadExpertRegistry } from "../../queries/loadExpertRegistry.js";
import { presentExpertRegistry, type ExpertFormState } from "../../presenters/pages/presentExpertRegistry.js";
import { presentImportPreview, presentImportProgress } from "../../presenters/pages/presentImport.js";
import { ExpertSchema } from "../schemas.js";
import { parse } from "../validate.js";
import { actorOf, render, tr } from "./context.js";
import { previewCsv } from "./forms/expertCsv.js";
import { readExpertForm } from "./forms/readExpertForm.js";
import { attempt, bodyOf, get, post, postUpload, str, type PageDeps } from "./pageRoute.js";
import { refusedForm } from "./userPages.js";

const csvUpload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: EXPERT_IMPORT_LIMITS.fileBytes, files: 1, fields: 5 },
});

async function showExperts(deps: PageDeps, req: Request, res: Response, form: ExpertFormState = {}, status = 200) {
  const actor = actorOf(req);
  authorizePage(actor, "experts");
  render(req, res, "experts", presentExpertRegistry(await loadExpertRegistry(deps.db, actor), form), status);
}

async function addExpert(deps: PageDeps, req: Request, res: Response) {
  const b = bodyOf(req);
  const run = () => createExpert(deps.db, { actor: actorOf(req), input: parse(ExpertSchema, readExpertForm(b)) });
  const again = (err: AppError) => showExperts(deps, req, res, refusedForm(b, err), err.status);
  if (await attempt(run, again, { notFoundToo: true })) res.redirect(303, "/admin/experts?done=expert.created");
}

/** The uploaded file as CSV text, or the catalogue key and status of why it cannot be read. */
async function importText(file: Express.Multer.File | undefined) {
  if (!file) return { problem: "upload.required", status: 400 };
  const name = file.originalname.toLowerCase();
  if (name.endsWith(".xls")) return { problem: "import.xlsx", status: 415 };
  if (!name.endsWith(".xlsx")) return { text: file.buffer.toString("utf8") };
  try {
    return { text: await xlsxToCsv(file.buffer) };
  } catch (err) {
    if (err instanceof AppError && err.status === 413) throw err; // 413 import_too_large
    return { problem: "import.xlsxUnreadable", status: 400 };
  }
}

async function previewImport(deps: PageDeps, req: Request, res: Response) {
  authorizePage(actorOf(req), "experts");
  const t = tr(req);
  const file = await importText(req.file);
  if (file.text === undefined) return showExperts(deps, req, res, { importError: t(file.problem) }, file.status);
  render(req, res, "importPreview", presentImportPreview(previewCsv(file.text, t), file.text));
}

async function confirmImport(deps: PageDeps, req: Request, res: Response) {
  const actor = actorOf(req);
  authorizePage(actor, "experts");
  const preview = previewCsv(str(bodyOf(req).csv), tr(req));
  const rows = preview.rows.filter((row) => !row.error).map((row) => parse(ExpertSchema, row.input));
  res.redirect(303, `/admin/experts/import/${await startExpertImport(deps, { actor, rows })}`);
}

async function showImportProgress(deps: PageDeps, req: Request, res: Response) {
  const actor = actorOf(req);
  authorizePage(actor, "experts");
  const progress = await findImportProgress(deps.db, actor, String(req.params.id));
  if (!progress) throw new NotFoundError("import_not_found", tr(req)("import.notFound"));
  const model = presentImportProgress(progress);
  // Without JavaScript the page refreshes itself every second until the import is finished.
  if (!model.finished) res.setHeader("Refresh", "1");
  render(req, res, "importProgress", model);
}

/** The expert registry's pages. */
export const expertPages = [
  get("/admin/experts", (deps, req, res) => showExperts(deps, req, res)),
  post("/admin/experts", addExpert),
  postUpload("/admin/experts/import", (req, res, next) => csvUpload.single("file")(req, res, next), previewImport),
  post("/admin/experts/import/confirm", confirmImport),
  get("/admin/experts/import/:id", showImportProgress),
];
