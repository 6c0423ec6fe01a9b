/**
 * The dossier files that come with a multipart form: their names (browsers send UTF-8 that
 * multer reads as Latin-1), the check before an order is created, and the uploads after.
 */
import type { Request } from "express";
import { AppError } from "../../errors.js";
import type { Actor } from "../../runtime/actor.js";
import { checkFile, FILE_KINDS, uploadDossierFile } from "../../commands/uploadDossierFile.js";
import type { PageDeps } from "./pageRoute.js";

type Upload = Express.Multer.File;

/** The file's name as the person's computer called it. */
export const fileNameOf = (f: Upload) => Buffer.from(f.originalname, "latin1").toString("utf8");

/** The files of a multipart form by field (the field is the file's kind). */
export const dossierOf = (req: Request) => Object.entries((req.files ?? {}) as Record<string, Upload[]>);

/**
 * Checks every file before anything is created, so a refused file creates nothing.
 * @throws AppError of checkFile, with the form field that held the file
 */
export function checkDossier(files: Array<[string, Upload[]]>): void {
  for (const [kind, list] of files)
    for (const f of list) {
      try {
        checkFile(fileNameOf(f), f.buffer);
      } catch (e) {
        if (e instanceof AppError) throw new AppError(e.status, e.code, e.message, kind);
        throw e;
      }
    }
}

/** Uploads the files to the assignment's dossier (an unknown field counts as an annex). */
export async function uploadDossier(deps: PageDeps, actor: Actor, id: string, files: Array<[string, Upload[]]>) {
  for (const [kind, list] of files)
    for (const f of list)
      await uploadDossierFile(deps, {
        actor,
        assignmentId: id,
        fileName: fileNameOf(f),
        bytes: f.buffer,
        kind: (FILE_KINDS as readonly string[]).includes(kind) ? kind : "annex",
      });
}
