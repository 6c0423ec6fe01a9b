/** An official document as the API returns it, and the name its file is saved under. */
import type { documents } from "../db/schema.js";

/** The register entry of a document: kind, number, status, checksum and verification code. */
export function presentDocument(d: typeof documents.$inferSelect) {
  return {
    id: d.id,
    kind: d.kind,
    title: d.title,
    status: d.status,
    register: d.register,
    year: d.year,
    number: d.number,
    numberLabel: d.numberLabel,
    sha256: d.sha256,
    verifyCode: d.verifyCode,
    correctsId: d.correctsId,
    issuedAt: d.issuedAt?.toISOString() ?? null,
  };
}

/** `<kind>-<number label>.<ext>`, or `…-du-thao.…` for a draft; safe in a file name. */
export function documentFileName(doc: Pick<typeof documents.$inferSelect, "kind" | "numberLabel">, ext: string) {
  const label = (doc.numberLabel ?? "du-thao").replace(/[^\p{L}\p{N}-]+/gu, "-");
  return `${doc.kind}-${label}.${ext}`;
}
