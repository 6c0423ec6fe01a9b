/**
 * The dossier files that come with a multipart form: their names (browsers send UTF-8 that
 * multer reads as Latin-1), the check that sorts good files from refused ones (each refused file
 * named with its reason, the good ones kept), and the uploads after the order exists.
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

/** A file of the form that was refused: its name and the stable code of the reason. */
export type RefusedFile = { name: string; code: string };

/**
 * The files that pass the dossier's checks, and the refused ones by name and reason, so that an
 * order is not lost, nor its good files, for one bad file beside them.
 */
export function sortDossier(files: Array<[string, Upload[]]>) {
  const refused: RefusedFile[] = [];
  const valid = files
    .map(([kind, list]): [string, Upload[]] => [
      kind,
      list.filter((f) => {
        try {
          checkFile(fileNameOf(f), f.buffer);
          return true;
        } catch (e) {
          if (!(e instanceof AppError)) throw e;
          refused.push({ name: fileNameOf(f), code: e.code });
          return false;
        }
      }),
    ])
    .filter(([, list]) => list.length);
  return { valid, refused };
}

/** The reasons a file is refused (each has `error.<code>` in the catalogue). */
const FILE_REFUSALS = ["file_empty", "file_type_mismatch", "file_type_not_allowed", "payload_too_large"];

/** `name:code` pairs for a redirect's query (`refused=…`), and back; at most 6, unknown shapes dropped. */
export const refusedToQuery = (r: RefusedFile[]) =>
  r.map((x) => `refused=${encodeURIComponent(`${x.name.slice(0, 120)}:${x.code}`)}`).join("&");
export function refusedFromQuery(v: unknown): RefusedFile[] {
  const list = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === "string").slice(0, 6);
  return list.flatMap((x) => {
    const m = /^(.+):([a-z_]{1,40})$/.exec(x);
    return m && FILE_REFUSALS.includes(m[2]) ? [{ name: m[1], code: m[2] }] : [];
  });
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
