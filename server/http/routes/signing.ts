/**
 * Signing over the JSON API: /api/v1/signing-key — the organisation's PKCS#12 (admin; multipart
 * `file`, `passphrase`, optional `signerName`), shown only as its certificate's public facts;
 * /api/v1/documents/:id/signed — an issued document signed elsewhere (multipart `file`).
 */
import { Router } from "express";
import multer from "multer";
import { z } from "zod";
import type { RuntimeDeps } from "../../runtime/applyEvent.js";
import type { DocumentService } from "../../documents/service.js";
import { installSigningKey, MAX_P12_BYTES, removeSigningKey } from "../../commands/signingKeys.js";
import { attachExternalSignature, MAX_SIGNED_PDF_BYTES } from "../../commands/attachExternalSignature.js";
import { loadSigningKeys } from "../../queries/loadSigningKeys.js";
import { presentSigningKeys } from "../../presenters/signingKeyPresenter.js";
import { parse } from "../validate.js";
import { guardMultipart } from "../inputGuards.js";
import { actorOf } from "../auth.js";
import type { Handler } from "../handler.js";

const p12Upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_P12_BYTES, files: 1, fields: 5 } });
const pdfUpload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: MAX_SIGNED_PDF_BYTES, files: 1, fields: 2 },
});
const KeySchema = z.object({ passphrase: z.string().max(500).default(""), signerName: z.string().max(200).optional() });

type SigningDeps = RuntimeDeps & { documents: DocumentService };

/** The signing routes (mounted under /api/v1 after requireActor). */
export function signingRoutes(deps: SigningDeps): Router {
  const r = Router();
  r.get("/signing-key", getKey(deps));
  r.put("/signing-key", guardMultipart(p12Upload.single("file")), putKey(deps));
  r.delete("/signing-key", deleteKey(deps));
  r.post("/documents/:id/signed", guardMultipart(pdfUpload.single("file")), postSigned(deps));
  return r;
}

const keyDeps = (deps: SigningDeps) => ({ db: deps.db, clock: deps.clock, vault: deps.documents.signingVault });

/** GET /signing-key: the active certificate (never the key), the 30-day expiry warning and the history. */
function getKey(deps: SigningDeps): Handler {
  return async (req, res) => {
    res.json({ data: presentSigningKeys(await loadSigningKeys(deps.db, actorOf(req), deps.clock.now())) });
  };
}

/** PUT /signing-key: checks, seals and activates a PKCS#12; the key before is retired. */
function putKey(deps: SigningDeps): Handler {
  return async (req, res) => {
    const { passphrase, signerName } = parse(KeySchema, req.body ?? {});
    await installSigningKey(keyDeps(deps), { actor: actorOf(req), p12: req.file?.buffer, passphrase, signerName });
    res.status(201).json({ data: presentSigningKeys(await loadSigningKeys(deps.db, actorOf(req), deps.clock.now())) });
  };
}

/** DELETE /signing-key: removes the active key (its material is wiped; the row stays as history). */
function deleteKey(deps: SigningDeps): Handler {
  return async (req, res) => {
    await removeSigningKey(keyDeps(deps), { actor: actorOf(req) });
    res.status(204).end();
  };
}

/** POST /documents/:id/signed: the issued document signed elsewhere becomes its issued bytes. */
function postSigned(deps: SigningDeps): Handler<"id"> {
  return async (req, res) => {
    const props = { actor: actorOf(req), documentId: req.params.id, bytes: req.file?.buffer };
    res.status(201).json({ data: await attachExternalSignature(deps, props) });
  };
}
