/**
 * Numbering registers (sổ đăng ký văn bản): per organisation, register and year, gap-free and
 * unique. A number is taken only when a document is issued, inside the issuing transaction: the
 * upsert locks the register row until commit, so concurrent issues queue and a rollback gives the
 * number back.
 */
import { sql } from "drizzle-orm";
import type { Tx } from "../db/connect.js";
import { registers } from "../db/schema.js";

/** The register a document kind is numbered in. Confidential documents have their own registers. */
export function registerFor(kind: string, confidential: boolean): string {
  const base = DOCUMENT_REGISTERS[kind] ?? "CV";
  return confidential ? `${base}-MAT` : base;
}

/** Document kind → register (its type abbreviation; letters have none and use "CV"). */
export const DOCUMENT_REGISTERS: Record<string, string> = {
  requestDocuments: "CV",
  declineLetter: "CV",
  acceptanceLetter: "CV",
  expertInvitation: "CV",
  coverLetter: "CV",
  responseReminder: "CV",
  panelDecision: "QĐ",
  meetingInvitation: "GM",
  minutes: "BB",
  finalReport: "BC",
  activityReport: "BC",
};

/** Takes the next number of a register for a year (01 on 1 January). */
export async function allocateNumber(tx: Tx, organizationId: string, register: string, year: number): Promise<number> {
  const rows = await tx
    .insert(registers)
    .values({ organizationId, register, year, lastNumber: 1 })
    .onConflictDoUpdate({
      target: [registers.organizationId, registers.register, registers.year],
      set: { lastNumber: sql`${registers.lastNumber} + 1` },
    })
    .returning({ n: registers.lastNumber });
  return rows[0].n;
}

/**
 * The register year of an issue instant: the calendar year in Vietnam (UTC+7), so a document
 * issued at 00:30 on 1 January Vietnam time (17:30 UTC on 31 December) takes 01 of the new year.
 */
export function registerYear(at: Date): number {
  return new Date(at.getTime() + 7 * 3600_000).getUTCFullYear();
}
