/**
 * /admin/documents: what an organisation changes on its official documents without touching the
 * code — the seal image, each signer's signature image (PNG, shown on electronically signed
 * documents as Decree 30 describes), and its own Handlebars template for any document kind.
 */
import { Router, type Request, type Response } from "express";
import multer from "multer";
import { eq } from "drizzle-orm";
import { organizations } from "../../db/schema.js";
import { AppError } from "../../errors.js";
import { requireRole } from "../../policies/assignmentPolicy.js";
import { updateSettings } from "../../commands/updateSettings.js";
import { resolveSettings } from "../../settings.js";
import type { DocumentService } from "../../documents/service.js";
import { csrfProtection } from "../auth.js";
import { actorOf, render, tr } from "./context.js";
import type { PageDeps } from "./index.js";

const MAX_IMAGE_BYTES = 512 * 1024;
const imageUpload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: MAX_IMAGE_BYTES, files: 1, fields: 5 },
});
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const str = (v: unknown) => (typeof v === "string" ? v : "");

type Deps = PageDeps & { documents: DocumentService };

async function orgOf(deps: Deps, req: Request) {
  const [org] = await deps.db
    .select()
    .from(organizations)
    .where(eq(organizations.id, actorOf(req).organizationId));
  return org;
}

async function show(deps: Deps, req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) {
  requireRole(actorOf(req), "admin");
  const t = tr(req);
  const org = await orgOf(deps, req);
  const s = resolveSettings(org.settings);
  const images = (org.settings ?? {}) as { sealImage?: string; signerImages?: Record<string, string> };
  const editing = str(req.query.kind ?? extra.kind);
  const templates = deps.documents.templateSources(org.slug).map((x) => ({
    kind: x.kind,
    label: t(`doc.${x.kind}`),
    overridden: x.override !== null,
    editing: x.kind === editing,
    source: x.kind === editing ? (typeof extra.source === "string" ? extra.source : (x.override ?? x.builtIn)) : "",
  }));
  render(
    req,
    res,
    "documentSettings",
    {
      seal: images.sealImage ?? null,
      signers: s.signers.map((sg) => ({ ...sg, image: images.signerImages?.[sg.key] ?? null })),
      templates,
      editing: templates.find((x) => x.editing) ?? null,
      ...extra,
    },
    status,
  );
}

/** The multipart image uploads (they check their own CSRF token after multer has parsed them). */
export function documentSettingsUploadPages(deps: Deps) {
  const r = Router();
  r.post(
    "/admin/documents/images",
    (req, res, next) => imageUpload.single("image")(req, res, next),
    csrfProtection,
    async (req, res) => {
      const actor = actorOf(req);
      requireRole(actor, "admin");
      const t = tr(req);
      const target = str(req.body?.target);
      const org = await orgOf(deps, req);
      const settings = (org.settings ?? {}) as { sealImage?: string; signerImages?: Record<string, string> };
      const signerKeys = resolveSettings(org.settings).signers.map((s) => s.key);
      if (target !== "seal" && !signerKeys.includes(target))
        return show(deps, req, res, { error: t("docs.unknownTarget") }, 400);
      if (!req.file || req.file.size === 0) return show(deps, req, res, { error: t("upload.required") }, 400);
      if (!PNG.every((b, i) => req.file!.buffer[i] === b))
        return show(deps, req, res, { error: t("docs.pngOnly") }, 415);
      const dataUrl = `data:image/png;base64,${req.file.buffer.toString("base64")}`;
      await updateSettings(deps.db, {
        actor,
        input: {
          settings:
            target === "seal"
              ? ({ sealImage: dataUrl } as never)
              : ({ signerImages: { ...(settings.signerImages ?? {}), [target]: dataUrl } } as never),
        },
      });
      res.redirect(303, "/admin/documents?done=docs.imageSaved");
    },
  );
  return r;
}

export function documentSettingsPages(deps: Deps) {
  const r = Router();
  r.get("/admin/documents", (req, res) => show(deps, req, res));

  r.post("/admin/documents/images/remove", async (req, res) => {
    const actor = actorOf(req);
    requireRole(actor, "admin");
    const target = str(req.body?.target);
    const org = await orgOf(deps, req);
    const settings = (org.settings ?? {}) as { sealImage?: string; signerImages?: Record<string, string> };
    const signerImages = { ...(settings.signerImages ?? {}) };
    delete signerImages[target];
    await updateSettings(deps.db, {
      actor,
      input: { settings: (target === "seal" ? { sealImage: undefined } : { signerImages }) as never },
    });
    res.redirect(303, "/admin/documents?done=docs.imageRemoved");
  });

  r.post("/admin/documents/templates/:kind", async (req, res) => {
    const actor = actorOf(req);
    requireRole(actor, "admin");
    const org = await orgOf(deps, req);
    const reset = str(req.body?.reset) === "1";
    const source = str(req.body?.source);
    try {
      await deps.documents.saveTemplate(org.slug, req.params.kind, reset ? null : source);
    } catch (err) {
      if (err instanceof AppError && err.status < 500)
        return show(
          deps,
          req,
          res,
          { kind: req.params.kind, source, error: err.message, errorField: "source" },
          err.status,
        );
      throw err;
    }
    res.redirect(
      303,
      `/admin/documents?kind=${encodeURIComponent(req.params.kind)}` +
        `&done=${reset ? "docs.templateReset" : "docs.templateSaved"}`,
    );
  });
  return r;
}
