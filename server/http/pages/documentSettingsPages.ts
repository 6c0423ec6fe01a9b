/**
 * /admin/documents: what an organisation changes on its official documents without touching the
 * code — the seal image, each signer's signature image (PNG, shown on electronically signed
 * documents as Decree 30 describes), its own Handlebars template for any document kind, the
 * signing key (a .p12/.pfx shown only by its certificate, with a warning 30 days before it
 * expires), and the export of the whole organisation (/admin/export, a zip).
 */
import type { Request, Response } from "express";
import multer from "multer";
import type { AppError } from "../../errors.js";
import { authorizePage } from "../../policies/pagePolicy.js";
import { updateSettings } from "../../commands/updateSettings.js";
import { installSigningKey, MAX_P12_BYTES, removeSigningKey } from "../../commands/signingKeys.js";
import { loadSigningKeys } from "../../queries/loadSigningKeys.js";
import { sendOrganizationExport } from "../routes/export.js";
import { findOrganization } from "../../queries/findOrganization.js";
import { presentDocumentSettings, type DocumentImages } from "../../presenters/pages/presentDocumentSettings.js";
import { resolveSettings } from "../../settings.js";
import { actorOf, render, tr } from "./context.js";
import { attempt, bodyOf, get, post, postUpload, str, type PageDeps } from "./pageRoute.js";

const MAX_IMAGE_BYTES = 512 * 1024;
const imageUpload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: MAX_IMAGE_BYTES, files: 1, fields: 5 },
});
const keyUpload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_P12_BYTES, files: 1, fields: 5 } });
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

async function show(deps: PageDeps, req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) {
  const actor = actorOf(req);
  authorizePage(actor, "documentSettings");
  const org = await findOrganization(deps.db, actor);
  const templates = await deps.documents.templateSources(org);
  const editing = str(req.query.kind ?? extra.kind);
  const signing = await loadSigningKeys(deps.db, actor, deps.clock.now());
  const model = presentDocumentSettings({ settings: org.settings, templates, editing, extra, signing }, tr(req));
  render(req, res, "documentSettings", model, status);
}

/** Why an uploaded image cannot be used (a catalogue key and status), or null. */
function imageProblem(target: string, stored: Record<string, unknown>, file: Express.Multer.File | undefined) {
  const signerKeys = resolveSettings(stored).signers.map((s) => s.key);
  if (target !== "seal" && !signerKeys.includes(target)) return { key: "docs.unknownTarget", status: 400 };
  if (!file || file.size === 0) return { key: "upload.required", status: 400 };
  if (!PNG.every((b, i) => file.buffer[i] === b)) return { key: "docs.pngOnly", status: 415 };
  return null;
}

/** The settings change that sets (or, with no image, removes) the seal or a signer's signature. */
function imagePatch(stored: Record<string, unknown>, target: string, dataUrl: string | undefined) {
  if (target === "seal") return { sealImage: dataUrl } as never;
  const signerImages = { ...((stored ?? {}) as DocumentImages).signerImages };
  if (dataUrl) signerImages[target] = dataUrl;
  else delete signerImages[target];
  return { signerImages } as never;
}

async function saveImage(deps: PageDeps, req: Request, res: Response) {
  const actor = actorOf(req);
  authorizePage(actor, "documentSettings");
  const target = str(bodyOf(req).target);
  const org = await findOrganization(deps.db, actor);
  const problem = imageProblem(target, org.settings, req.file);
  if (problem) return show(deps, req, res, { error: tr(req)(problem.key) }, problem.status);
  const dataUrl = `data:image/png;base64,${req.file!.buffer.toString("base64")}`;
  await updateSettings(deps.db, { actor, input: { settings: imagePatch(org.settings, target, dataUrl) } });
  res.redirect(303, "/admin/documents?done=docs.imageSaved");
}

async function removeImage(deps: PageDeps, req: Request, res: Response) {
  const actor = actorOf(req);
  authorizePage(actor, "documentSettings");
  const target = str(bodyOf(req).target);
  const org = await findOrganization(deps.db, actor);
  await updateSettings(deps.db, { actor, input: { settings: imagePatch(org.settings, target, undefined) } });
  res.redirect(303, "/admin/documents?done=docs.imageRemoved");
}

async function saveTemplate(deps: PageDeps, req: Request, res: Response) {
  const actor = actorOf(req);
  authorizePage(actor, "documentSettings");
  const org = await findOrganization(deps.db, actor);
  const { kind } = req.params as { kind: string };
  const reset = str(bodyOf(req).reset) === "1";
  const source = str(bodyOf(req).source);
  const run = () => deps.documents.saveTemplate(org, kind, reset ? null : source, actor.id);
  const again = (err: AppError) =>
    show(deps, req, res, { kind, source, error: err.message, errorField: "source" }, err.status);
  if (!(await attempt(run, again, { notFoundToo: true }))) return;
  const done = reset ? "docs.templateReset" : "docs.templateSaved";
  res.redirect(303, `/admin/documents?kind=${encodeURIComponent(kind)}&done=${done}`);
}

async function saveKey(deps: PageDeps, req: Request, res: Response) {
  const actor = actorOf(req);
  authorizePage(actor, "documentSettings");
  const body = bodyOf(req);
  const vault = deps.documents.signingVault;
  const props = { actor, p12: req.file?.buffer, passphrase: str(body.passphrase), signerName: str(body.signerName) };
  const run = () => installSigningKey({ db: deps.db, clock: deps.clock, vault }, props);
  const again = (err: AppError) => show(deps, req, res, { keyError: err.message }, err.status);
  if (await attempt(run, again)) res.redirect(303, "/admin/documents?done=docs.keySaved#signing");
}

async function removeKey(deps: PageDeps, req: Request, res: Response) {
  const actor = actorOf(req);
  authorizePage(actor, "documentSettings");
  const vault = deps.documents.signingVault;
  const run = () => removeSigningKey({ db: deps.db, clock: deps.clock, vault }, { actor });
  const again = (err: AppError) => show(deps, req, res, { keyError: err.message }, err.status);
  if (await attempt(run, again, { notFoundToo: true }))
    res.redirect(303, "/admin/documents?done=docs.keyRemoved#signing");
}

/** The document settings pages. */
export const documentSettingsPages = [
  get("/admin/documents", (deps, req, res) => show(deps, req, res)),
  postUpload("/admin/documents/images", (req, res, next) => imageUpload.single("image")(req, res, next), saveImage),
  post("/admin/documents/images/remove", removeImage),
  post("/admin/documents/templates/:kind", saveTemplate),
  postUpload("/admin/documents/signing-key", (req, res, next) => keyUpload.single("file")(req, res, next), saveKey),
  post("/admin/documents/signing-key/remove", removeKey),
  get("/admin/export", (deps, req, res) => sendOrganizationExport(deps, req, res)),
];
