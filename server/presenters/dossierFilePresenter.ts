/** A dossier file as the API returns it after an upload (never its bytes). */
import type { dossierFiles } from "../db/schema.js";

/** The stored file: kind, name, type, size and checksum. */
export function presentDossierFile(f: typeof dossierFiles.$inferSelect) {
  return {
    id: f.id,
    kind: f.kind,
    fileName: f.fileName,
    contentType: f.contentType,
    size: f.size,
    sha256: f.sha256,
  };
}
