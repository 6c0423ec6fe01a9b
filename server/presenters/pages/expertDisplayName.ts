/**
 * An expert's name as pages show it: academic title and degree written together, then the full name
 * ("PGS.TS. Nguyễn Văn A") — the same words as mail and documents (server/words/personName.ts).
 */
import { personName } from "../../words/personName.js";

export function expertDisplayName(e: { academicTitle?: string | null; degree?: string | null; fullName: string }) {
  return personName(e);
}
