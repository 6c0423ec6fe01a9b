/**
 * /verify (public, no login, no CSRF: it changes nothing): look a document up by its printed code,
 * or upload a PDF to learn whether it is exactly an issued document.
 */
import { guardMultipart } from "../inputGuards.js";
import { Router } from "express";
import multer from "multer";
import type { Executor } from "../../db/connect.js";
import { ValidationError } from "../../errors.js";
import { findDocumentByCode, findDocumentByContent, normalizeVerifyCode } from "../../queries/findVerifiedDocument.js";
import { presentPublicDocument } from "../../presenters/publicDocumentPresenter.js";
import { sendUploadPage, sendVerification } from "../verifyPages.js";
import type { Handler } from "../handler.js";

/** Largest PDF accepted by POST /verify. */
export const MAX_VERIFY_BYTES = 25 * 1024 * 1024;

type VerifyDeps = { db: Executor };

/** The public /verify pages. */
export function verifyRoutes(deps: VerifyDeps): Router {
  const r = Router();
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: MAX_VERIFY_BYTES, files: 1, fields: 2 },
  });
  r.get("/verify", (_req, res) => sendUploadPage(res, MAX_VERIFY_BYTES / 1024 / 1024));
  r.get("/verify/:code", getByCode(deps));
  r.post("/verify", guardMultipart(upload.single("file")), postFile(deps));
  return r;
}

/** GET /verify/:code (and the form's ?code=, redirected to its canonical address). */
function getByCode({ db }: VerifyDeps): Handler<"code"> {
  return async (req, res) => {
    if (typeof req.query.code === "string") {
      const typed = normalizeVerifyCode(req.query.code);
      return void res.redirect(303, `/verify/${encodeURIComponent(typed ?? req.query.code.slice(0, 20))}`);
    }
    const found = await findDocumentByCode(db, req.params.code);
    sendVerification(req, res, found ? presentPublicDocument(found) : null, "code");
  };
}

/** POST /verify (multipart, field "file"): is this PDF exactly an issued document? */
function postFile({ db }: VerifyDeps): Handler {
  return async (req, res) => {
    if (!req.file) throw new ValidationError("file_required", "Cần chọn tệp PDF để kiểm tra (trường “file”).", "file");
    const { sha256, found } = await findDocumentByContent(db, req.file.buffer);
    sendVerification(req, res, found ? presentPublicDocument(found) : null, "file", { sha256 });
  };
}
