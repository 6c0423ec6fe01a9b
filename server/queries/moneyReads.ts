/**
 * The money as people read it: payments (each person sees their own; leadership, the secretariat
 * and the accountant see all), an assignment's estimates and its settlement statement (bảng kê chi
 * thù lao chuyên gia), an expert's statement of the year, with amounts in figures and in words.
 */
import { and, asc, desc, eq, gte, inArray, lte, type SQL } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import {
  assignments,
  documents,
  estimateAdjustments,
  estimateLines,
  estimates,
  experts,
  invitations,
  payments,
} from "../db/schema.js";
import { ForbiddenError, NotFoundError } from "../errors.js";
import type { Actor } from "../runtime/actor.js";
import { maySeeAllPayments, maySeePaymentsOf, requireMoneyReader } from "../policies/planPolicy.js";
import { buildSettlement } from "../money/buildSettlement.js";
import { expertStatement } from "../money/expertStatement.js";
import { paymentOf } from "../money/records.js";
import { spellDong } from "../money/spellDong.js";
import { personName } from "../words/personName.js";
import { label } from "../words/catalogue.js";

export type PaymentFilters = { year?: number; assignmentId?: string; expertId?: string };

/** Payments the actor may see: all of them for money readers, else only their own as an expert. */
export async function listPayments(db: Executor, actor: Actor, f: PaymentFilters) {
  const conds: SQL[] = [eq(payments.organizationId, actor.organizationId)];
  if (!maySeeAllPayments(actor)) {
    if (!actor.expertId) throw new ForbiddenError();
    conds.push(eq(payments.expertId, actor.expertId));
  }
  if (f.year) conds.push(gte(payments.paidOn, `${f.year}-01-01`), lte(payments.paidOn, `${f.year}-12-31`));
  if (f.assignmentId) conds.push(eq(payments.assignmentId, f.assignmentId));
  if (f.expertId) conds.push(eq(payments.expertId, f.expertId));
  return db
    .select()
    .from(payments)
    .where(and(...conds))
    .orderBy(asc(payments.paidOn), asc(payments.recordedAt));
}

/** What the money reads show of an assignment. */
type MoneyAssignment = { id: string; code: string; title: string };

/** An assignment of the actor's organisation (money readers see every one). @throws NotFoundError */
async function assignmentOf(db: Executor, actor: Actor, id: string): Promise<MoneyAssignment> {
  const [a] = /^[0-9a-f-]{36}$/i.test(id)
    ? await db
        .select({ id: assignments.id, code: assignments.code, title: assignments.title })
        .from(assignments)
        .where(and(eq(assignments.id, id), eq(assignments.organizationId, actor.organizationId)))
    : [];
  if (!a) throw new NotFoundError("assignment_not_found", "Không tìm thấy nhiệm vụ.");
  return a;
}

/** The assignment's estimates, every version, with lines and adjustments. @throws ForbiddenError, NotFoundError */
export async function listEstimates(db: Executor, actor: Actor, assignmentId: string) {
  requireMoneyReader(actor);
  return estimatesOf(db, await assignmentOf(db, actor, assignmentId));
}

/**
 * The money page of an assignment (estimates, settlement, the forms issued as PDFs), the
 * assignment read once. @throws ForbiddenError, NotFoundError
 */
export async function loadAssignmentMoney(db: Executor, actor: Actor, assignmentId: string) {
  requireMoneyReader(actor);
  const a = await assignmentOf(db, actor, assignmentId);
  return {
    estimates: await estimatesOf(db, a),
    settlement: await settlementOf(db, actor, a),
    documents: await moneyDocumentsOf(db, a),
  };
}

async function estimatesOf(db: Executor, a: MoneyAssignment) {
  const rows = await db
    .select()
    .from(estimates)
    .where(eq(estimates.assignmentId, a.id))
    .orderBy(asc(estimates.version));
  const ids = rows.map((r) => r.id);
  const lines = ids.length ? await db.select().from(estimateLines).where(inArray(estimateLines.estimateId, ids)) : [];
  const adjs = ids.length
    ? await db.select().from(estimateAdjustments).where(inArray(estimateAdjustments.estimateId, ids))
    : [];
  return {
    assignment: { id: a.id, code: a.code, title: a.title },
    versions: rows.map((r) => ({
      ...r,
      totalInWords: spellDong(r.total),
      lines: lines.filter((l) => l.estimateId === r.id).sort((x, y) => x.position - y.position),
      adjustments: adjs.filter((l) => l.estimateId === r.id).sort((x, y) => x.position - y.position),
    })),
  };
}

/** The settlement statement of an assignment (one row per paid expert). @throws ForbiddenError, NotFoundError */
export async function loadSettlement(db: Executor, actor: Actor, assignmentId: string) {
  requireMoneyReader(actor);
  return settlementOf(db, actor, await assignmentOf(db, actor, assignmentId));
}

async function settlementOf(db: Executor, actor: Actor, a: MoneyAssignment) {
  const rows = await db.select().from(payments).where(eq(payments.assignmentId, a.id));
  const panel = await db
    .select({ i: invitations, e: experts })
    .from(invitations)
    .innerJoin(experts, eq(experts.id, invitations.expertId))
    .where(and(eq(invitations.assignmentId, a.id), eq(invitations.state, "accepted")))
    .orderBy(asc(invitations.rank));
  const settlement = buildSettlement({
    assignmentId: a.id,
    payments: rows.map(paymentOf),
    panel: panel.map(({ i, e }) => ({
      expertId: e.id,
      name: personName(e),
      role: label("panelRole", i.panelRole, actor.locale),
      workplace: e.workplace,
    })),
  });
  return {
    assignment: { id: a.id, code: a.code, title: a.title },
    ...settlement,
    totalInWords: spellDong(settlement.totals.net),
  };
}

/** The money forms issued as PDFs for an assignment (cost estimates, settlement statements), newest first. */
function moneyDocumentsOf(db: Executor, a: MoneyAssignment) {
  return db
    .select({ id: documents.id, kind: documents.kind, status: documents.status, createdAt: documents.createdAt })
    .from(documents)
    .where(and(eq(documents.assignmentId, a.id), inArray(documents.kind, ["costEstimate", "feeSettlement"])))
    .orderBy(desc(documents.createdAt))
    .limit(50);
}

/** An expert's payments of the year: the expert, leadership, the secretariat, the accountant. */
export async function loadExpertStatement(db: Executor, actor: Actor, expertId: string, year: number) {
  if (!maySeePaymentsOf(actor, expertId)) throw new ForbiddenError();
  const [e] = /^[0-9a-f-]{36}$/i.test(expertId)
    ? await db
        .select()
        .from(experts)
        .where(and(eq(experts.id, expertId), eq(experts.organizationId, actor.organizationId)))
    : [];
  if (!e) throw new NotFoundError("expert_not_found", "Không tìm thấy chuyên gia.");
  const rows = await db
    .select()
    .from(payments)
    .where(and(eq(payments.organizationId, actor.organizationId), eq(payments.expertId, e.id)));
  const ids = [...new Set(rows.map((r) => r.assignmentId).filter((x): x is string => !!x))];
  const as = ids.length ? await db.select().from(assignments).where(inArray(assignments.id, ids)) : [];
  const names = Object.fromEntries(as.map((a) => [a.id, a.confidential ? a.code : `${a.code} – ${a.title}`]));
  const statement = expertStatement({
    year,
    expertId: e.id,
    name: personName(e),
    payments: rows.map(paymentOf),
    assignments: names,
  });
  return { ...statement, totalInWords: spellDong(statement.totals.net) };
}
