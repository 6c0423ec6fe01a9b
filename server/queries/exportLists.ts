/**
 * The main lists as workbooks (.xlsx, issue 14 §6): the assignment list with the filters the page
 * shows, the clerk's two registers of a year, the document register and the expert registry. Each
 * reads through the same query (and so the same visibility and permission checks) as its page;
 * headers and labels in the reader's language; text cells escaped against spreadsheet injection by
 * server/exports/xlsx.ts.
 */
import type { Db } from "../db/connect.js";
import type { Actor } from "../runtime/actor.js";
import { defineSheet, writeWorkbook } from "../exports/xlsx.js";
import { translate, wordsFor } from "../words/catalogue.js";
import { listAssignments, type ListFilters } from "./listAssignments.js";
import { listRegisters } from "./listRegisters.js";
import { listDocuments } from "./listDocuments.js";
import { loadExpertRegistry } from "./loadExpertRegistry.js";
import { requireExpertRegistryReader } from "../policies/registryPolicy.js";
import { presentRegisters } from "../presenters/pages/presentRegisters.js";

/** At most this many assignments in one export (the list's filters narrow it). */
export const EXPORT_LIMIT = 5000;

const t = (actor: Actor) => (key: string, vars?: Record<string, unknown>) => translate(actor.locale, key, vars);

/** The calendar day in Vietnam (UTC+7) of an instant, `YYYY-MM-DD`. */
export function vietnamDay(at: Date | string | null | undefined): string | null {
  if (!at) return null;
  return new Date(new Date(at).getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
}

/** The assignments the actor may see that match the list's filters (every page, up to EXPORT_LIMIT). */
export async function exportAssignments(db: Db, actor: Actor, now: Date, filters: ListFilters): Promise<Buffer> {
  const w = t(actor);
  const words = wordsFor(actor.locale);
  const { rows } = await listAssignments(db, actor, now, { ...filters, page: 1, limit: EXPORT_LIMIT });
  return writeWorkbook([
    defineSheet({
      name: w("xlsx.assignments"),
      rows,
      columns: [
        { header: w("list.code"), kind: "text", width: 16, value: (r) => r.code },
        { header: w("list.title"), kind: "text", width: 60, value: (r) => r.title },
        { header: w("list.type"), kind: "text", width: 18, value: (r) => words.label("type", r.type) },
        { header: w("list.agency"), kind: "text", width: 36, value: (r) => r.agencyName },
        { header: w("list.state"), kind: "text", width: 30, value: (r) => words.label("state", r.state) },
        {
          header: w("list.waitingOn"),
          kind: "text",
          width: 20,
          value: (r) => (r.waitingOn ? words.label("role", r.waitingOn) : ""),
        },
        { header: w("list.due"), kind: "day", value: (r) => vietnamDay(r.nextDueAt) },
        { header: w("xlsx.overdue"), kind: "text", width: 10, value: (r) => (r.overdue ? w("xlsx.yes") : "") },
        { header: w("xlsx.received"), kind: "day", value: (r) => vietnamDay(r.createdAt) },
      ],
    }),
  ]);
}

/** The incoming and outgoing registers of `year`, one sheet each. */
export async function exportRegisters(db: Db, actor: Actor, year: number): Promise<Buffer> {
  const w = t(actor);
  const { incoming, outgoing } = presentRegisters(
    { year, registers: await listRegisters(db, actor, year), canIssueReport: false },
    w,
  );
  return writeWorkbook([
    defineSheet({
      name: w("xlsx.incoming"),
      rows: incoming,
      columns: [
        { header: w("xlsx.no"), kind: "count", value: (r) => r.n },
        { header: w("field.orderNumber"), kind: "text", width: 18, value: (r) => r.orderNumber },
        { header: w("field.orderDate"), kind: "day", value: (r) => r.orderDate },
        { header: w("registers.received"), kind: "day", value: (r) => vietnamDay(r.receivedAt) },
        { header: w("list.code"), kind: "text", width: 16, value: (r) => r.code },
        { header: w("list.title"), kind: "text", width: 60, value: (r) => r.title },
        { header: w("list.agency"), kind: "text", width: 36, value: (r) => r.agencyName },
        {
          header: w("list.state"),
          kind: "text",
          value: (r) => (r.registered ? r.stateLabel : w("registers.toRegister")),
        },
      ],
    }),
    defineSheet({
      name: w("xlsx.outgoing"),
      rows: outgoing,
      columns: [
        { header: w("registers.number"), kind: "text", width: 20, value: (r) => r.label },
        { header: w("registers.kind"), kind: "text", value: (r) => r.kindLabel },
        { header: w("registers.issued"), kind: "day", value: (r) => vietnamDay(r.issuedAt) },
        { header: w("list.code"), kind: "text", width: 16, value: (r) => r.code },
        { header: w("list.title"), kind: "text", width: 60, value: (r) => r.title ?? r.docTitle },
      ],
    }),
  ]);
}

/** The document register (staff only, as GET /api/v1/documents): confidential ones masked the same way. */
export async function exportDocuments(db: Db, actor: Actor): Promise<Buffer> {
  const w = t(actor);
  const rows = await listDocuments(db, actor);
  return writeWorkbook([
    defineSheet({
      name: w("xlsx.documents"),
      rows,
      columns: [
        { header: w("registers.number"), kind: "text", width: 20, value: (r) => r.numberLabel },
        { header: w("registers.kind"), kind: "text", value: (r) => w(`doc.${r.kind}`) },
        { header: w("list.title"), kind: "text", width: 60, value: (r) => r.title },
        { header: w("registers.issued"), kind: "day", value: (r) => vietnamDay(r.issuedAt) },
        { header: w("xlsx.verifyCode"), kind: "text", width: 20, value: (r) => r.verifyCode },
      ],
    }),
  ]);
}

/** The expert registry (admin, secretariat, leadership). */
export async function exportExperts(db: Db, actor: Actor): Promise<Buffer> {
  requireExpertRegistryReader(actor);
  const w = t(actor);
  const { experts } = await loadExpertRegistry(db, actor);
  return writeWorkbook([
    defineSheet({
      name: w("xlsx.experts"),
      rows: experts,
      columns: [
        { header: w("field.fullName"), kind: "text", value: (r) => r.expert.fullName },
        { header: w("experts.academicTitle"), kind: "text", width: 12, value: (r) => r.expert.academicTitle },
        { header: w("experts.degree"), kind: "text", width: 12, value: (r) => r.expert.degree },
        { header: w("xlsx.fields"), kind: "text", value: (r) => r.expert.fields.join("; ") },
        { header: w("xlsx.workplace"), kind: "text", width: 40, value: (r) => r.expert.workplace },
        { header: w("xlsx.association"), kind: "text", width: 40, value: (r) => r.associationName },
        { header: w("field.email"), kind: "text", value: (r) => r.expert.email },
        { header: w("experts.phone"), kind: "text", width: 16, value: (r) => r.expert.phone },
        { header: w("xlsx.active"), kind: "text", width: 10, value: (r) => (r.expert.active ? w("xlsx.yes") : "") },
      ],
    }),
  ]);
}
