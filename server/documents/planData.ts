/**
 * The database reads behind the year's plan documents: a plan's items with their latest content and
 * approved budget, the year's money against them (`yearStatement` over the payments), and the
 * view models of the Tờ trình (with the list as sent) and of the execution report. The activity
 * report and the plan report query read the same figures from here, so every place counts alike.
 */
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import {
  agencies,
  annualPlans,
  estimates,
  memberAssociations,
  payments,
  planDecisions,
  planItemVersions,
  planItems,
  planSubmissions,
} from "../db/schema.js";
import { ValidationError } from "../errors.js";
import { paymentOf } from "../money/records.js";
import { yearStatement, type YearStatement } from "../money/yearStatement.js";
import { LEGAL_BASIS_14 } from "./modelContext.js";
import { buildPlanExecutionReportModel } from "./planExecutionReportModel.js";
import { buildPlanSubmissionModel, type SubmittedItem } from "./planSubmissionModel.js";
import { decisionRef, figures, inWords, two } from "./planWords.js";
import type { ActivityPlanSection, DocumentBase, DocumentModels } from "./types.js";
import { translate } from "../words/catalogue.js";

/** Statuses of an item on the approved list (cut ones are counted apart). */
export const PLANNED_STATUSES = ["approved", "changed", "started", "done", "carriedOver"];

type PlanRow = typeof annualPlans.$inferSelect;
type VersionRow = typeof planItemVersions.$inferSelect;

/** What the issuing action leaves on a plan document's row. */
export type PlanDocumentMeta = {
  planId?: string;
  listVersion?: number;
  /** The amendment's part of each item sent (`add`, `change`, `cut`), as the machine had it. */
  changes?: Record<string, "add" | "change" | "cut">;
  kind?: "initial" | "amendment";
  reason?: string | null;
};

/** The plan's execution in figures: planned, done, in progress, not started, carried over, cut. */
export type PlanExecution = Record<"planned" | "done" | "inProgress" | "notStarted" | "carriedOver" | "cut", number>;

/** A plan's year: its items (latest content, approved budget), the execution counts and the money statement. */
export type PlanYear = {
  plan: PlanRow;
  items: Array<{ itemId: string; status: string; quarter: number; title: string; assignmentId: string | null }>;
  execution: PlanExecution;
  statement: YearStatement;
};

/** The plan of an organisation, by id or by year; null when there is none. */
export async function findPlan(db: Executor, organizationId: string, by: { id?: string; year?: number }) {
  const [plan] = await db
    .select()
    .from(annualPlans)
    .where(
      and(
        eq(annualPlans.organizationId, organizationId),
        by.id ? eq(annualPlans.id, by.id) : eq(annualPlans.year, by.year ?? -1),
      ),
    );
  return plan ?? null;
}

/**
 * The year of a plan: every approved (or cut) item, counts, and approved vs spent (paid before
 * `paidBefore`, a Vietnam day, when given).
 * @throws ValidationError `invalid_amount` for a malformed stored amount
 */
export async function loadPlanYear(db: Executor, plan: PlanRow, paidBefore?: string): Promise<PlanYear> {
  const items = (await db.select().from(planItems).where(eq(planItems.planId, plan.id)))
    .filter((i) => [...PLANNED_STATUSES, "cut"].includes(i.status))
    .sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9) || a.number - b.number);
  const versions = await versionsOf(
    db,
    items.map((i) => i.id),
  );
  const latest = (id: string) => versions.find((v) => v.itemId === id);
  const budgetOf = (id: string) => versions.find((v) => v.itemId === id && v.approvedBudget !== null)?.approvedBudget;
  const assignmentIds = items.map((i) => i.assignmentId).filter((x): x is string => !!x);
  const paid = await db.select().from(payments).where(eq(payments.organizationId, plan.organizationId));
  const statement = yearStatement({
    year: plan.year,
    items: items
      .filter((i) => PLANNED_STATUSES.includes(i.status))
      .map((i) => ({
        itemId: i.id,
        title: latest(i.id)?.title ?? "",
        status: i.status,
        approvedBudget: budgetOf(i.id) ?? null,
        assignmentId: i.assignmentId,
      })),
    estimates: await latestEstimateTotals(db, assignmentIds),
    payments: paid.filter((p) => !paidBefore || p.paidOn < paidBefore).map(paymentOf),
  });
  const count = (...s: string[]) => items.filter((i) => s.includes(i.status)).length;
  return {
    plan,
    items: items.map((i) => ({
      itemId: i.id,
      status: i.status,
      quarter: i.quarter,
      title: latest(i.id)?.title ?? "",
      assignmentId: i.assignmentId,
    })),
    execution: {
      planned: count(...PLANNED_STATUSES),
      done: count("done"),
      inProgress: count("started"),
      notStarted: count("approved", "changed"),
      carriedOver: count("carriedOver"),
      cut: count("cut"),
    },
    statement,
  };
}

/** Every version of these items, newest first. */
async function versionsOf(db: Executor, itemIds: string[]): Promise<VersionRow[]> {
  if (!itemIds.length) return [];
  return db
    .select()
    .from(planItemVersions)
    .where(inArray(planItemVersions.itemId, itemIds))
    .orderBy(desc(planItemVersions.version));
}

/** The total of each assignment's latest estimate, by assignment id. */
async function latestEstimateTotals(db: Executor, assignmentIds: string[]): Promise<Record<string, number>> {
  const rows = assignmentIds.length
    ? await db
        .select()
        .from(estimates)
        .where(inArray(estimates.assignmentId, assignmentIds))
        .orderBy(desc(estimates.version))
    : [];
  const totals: Record<string, number> = {};
  for (const e of rows) totals[e.assignmentId] ??= e.total;
  return totals;
}

/** @throws ValidationError `document_data_missing` when the row names no plan of the organisation */
async function planOf(db: Executor, organizationId: string, meta: PlanDocumentMeta): Promise<PlanRow> {
  const plan = meta.planId ? await findPlan(db, organizationId, { id: meta.planId }) : null;
  if (!plan) throw new ValidationError("document_data_missing", "Văn bản này cần gắn với một danh mục.");
  return plan;
}

/** The decisions approving the list and its amendments, up to `beforeVersion` (exclusive). */
async function decisionsOf(db: Executor, planId: string, beforeVersion = Infinity) {
  const rows = await db
    .select()
    .from(planDecisions)
    .where(eq(planDecisions.planId, planId))
    .orderBy(asc(planDecisions.listVersion));
  return rows.filter((d) => d.listVersion < beforeVersion).map((d) => ({ number: d.number, date: d.decidedOn }));
}

/** The legal bases every plan document quotes. */
function planBases(base: DocumentBase): string[] {
  return [LEGAL_BASIS_14, ...(base.org.provincialRegulation ? [base.org.provincialRegulation] : [])];
}

/**
 * The Tờ trình's view model: the submission this document carries (else the latest of its list
 * version), each item at the version sent, named by its ordering or proposing agency.
 * @throws ValidationError `document_data_missing`, `invalid_amount`
 */
export async function planSubmissionDocModel(
  db: Executor,
  organizationId: string,
  base: DocumentBase,
  meta: PlanDocumentMeta,
  documentId?: string,
): Promise<DocumentModels["planSubmission"]> {
  const plan = await planOf(db, organizationId, meta);
  const version = meta.listVersion ?? plan.approvedVersion + 1;
  const sent = await db
    .select()
    .from(planSubmissions)
    .where(and(eq(planSubmissions.planId, plan.id), eq(planSubmissions.listVersion, version)))
    .orderBy(desc(planSubmissions.attempt));
  const submission = sent.find((s) => documentId && s.documentId === documentId) ?? sent[0];
  if (!submission) throw new ValidationError("document_data_missing", "Chưa có danh mục trình.");
  const kind = meta.kind ?? (submission.kind === "amendment" ? "amendment" : "initial");
  const items = await submittedItems(db, plan, submission.items, kind === "amendment" ? (meta.changes ?? {}) : null);
  const all = await db.select().from(planItems).where(eq(planItems.planId, plan.id));
  return buildPlanSubmissionModel({
    ...base,
    recipients: ["Sở Tài chính", `Thường trực ${base.org.shortName}`],
    year: plan.year,
    kind,
    province: `Ủy ban nhân dân tỉnh ${base.org.province}`,
    bases: planBases(base),
    received: all.filter((i) => i.addedInVersion === 1).length,
    items,
    ...(kind === "amendment"
      ? {
          inForce: await decisionsOf(db, plan.id, version),
          totalAfter: await totalAfter(db, all, items, submission.items),
          reason: meta.reason ?? null,
        }
      : {}),
  });
}

/** The items as sent, at the versions sent; in an amendment each with its part and the reason. */
async function submittedItems(
  db: Executor,
  plan: PlanRow,
  sent: Array<{ itemId: string; version: number }>,
  changes: Record<string, "add" | "change" | "cut"> | null,
): Promise<SubmittedItem[]> {
  const ids = sent.map((s) => s.itemId);
  if (!ids.length) return [];
  const versions = await versionsOf(db, ids);
  const rows = await db.select().from(planItems).where(inArray(planItems.id, ids));
  const names = await agencyNames(db, plan.organizationId);
  return sent.map(({ itemId, version }) => {
    const v =
      versions.find((x) => x.itemId === itemId && x.version === version) ?? versions.find((x) => x.itemId === itemId)!;
    const item = rows.find((r) => r.id === itemId)!;
    const agency =
      (v.orderingAgencyId && names.get(v.orderingAgencyId)) ||
      (item.agencyId && names.get(item.agencyId)) ||
      (item.memberAssociationId && names.get(item.memberAssociationId)) ||
      "Liên hiệp hội đề xuất";
    return {
      title: v.title,
      type: v.type,
      forms: v.forms,
      agency,
      quarter: v.quarter,
      estimatedCost: v.estimatedCost,
      ...(changes ? { change: changes[itemId] ?? "add", note: changes[itemId] ? v.reason : null } : {}),
    };
  });
}

/** Agencies' and member associations' names by id. */
async function agencyNames(db: Executor, organizationId: string): Promise<Map<string, string>> {
  const a = await db
    .select({ id: agencies.id, name: agencies.name })
    .from(agencies)
    .where(eq(agencies.organizationId, organizationId));
  const m = await db
    .select({ id: memberAssociations.id, name: memberAssociations.name })
    .from(memberAssociations)
    .where(eq(memberAssociations.organizationId, organizationId));
  return new Map([...a, ...m].map((r) => [r.id, r.name]));
}

/** The list's total after an amendment: the items in force at their approved budget, with the amendment applied. */
async function totalAfter(
  db: Executor,
  all: Array<typeof planItems.$inferSelect>,
  items: SubmittedItem[],
  sent: Array<{ itemId: string }>,
): Promise<number> {
  const sentIds = new Set(sent.map((s) => s.itemId));
  const inForce = all.filter((i) => PLANNED_STATUSES.includes(i.status) && !sentIds.has(i.id));
  const versions = await versionsOf(
    db,
    inForce.map((i) => i.id),
  );
  const budget = (id: string) => {
    const v =
      versions.find((x) => x.itemId === id && x.approvedBudget !== null) ?? versions.find((x) => x.itemId === id);
    return v?.approvedBudget ?? v?.estimatedCost ?? 0;
  };
  const kept = inForce.reduce((s, i) => s + budget(i.id), 0);
  return items.filter((i) => i.change !== "cut").reduce((s, i) => s + i.estimatedCost, kept);
}

/**
 * The execution report's view model over the plan's year.
 * @throws ValidationError `document_data_missing`, `invalid_amount`
 */
export async function planExecutionReportDocModel(
  db: Executor,
  organizationId: string,
  base: DocumentBase,
  meta: PlanDocumentMeta,
): Promise<DocumentModels["planExecutionReport"]> {
  const year = await loadPlanYear(db, await planOf(db, organizationId, meta));
  const { execution: x, statement } = year;
  const spentShare = statement.totals.approved
    ? Math.round((statement.totals.spent * 100) / statement.totals.approved)
    : 0;
  return buildPlanExecutionReportModel({
    ...base,
    recipients: ["Ủy ban nhân dân tỉnh (để báo cáo)", "Sở Tài chính", "Liên hiệp các Hội KH&KT Việt Nam"],
    year: year.plan.year,
    bases: planBases(base),
    decisions: await decisionsOf(db, year.plan.id),
    items: year.items,
    statement,
    evaluation: [
      `${base.org.shortName} đã hoàn thành ${x.done}/${x.planned} nhiệm vụ của Danh mục; ` +
        `${x.planned - x.done} nhiệm vụ chưa hoàn thành được chuyển sang năm sau; ` +
        `${x.cut} nhiệm vụ được đưa ra khỏi danh mục.`,
      `Kinh phí đã chi bằng ${spentShare}% tổng kinh phí được phê duyệt.`,
    ],
    proposals: [
      "Đề nghị Ủy ban nhân dân tỉnh tiếp tục bố trí kinh phí thực hiện các nhiệm vụ chuyển sang năm sau.",
      "Đề nghị các cơ quan đặt hàng chủ động đặt hàng đúng quý theo Danh mục được phê duyệt.",
    ],
  });
}

/**
 * The activity report's section on the year's list: execution and money up to the period's end,
 * labelled from the catalogue; null when the period's year has no list approved yet.
 * @throws ValidationError `invalid_amount` for a malformed stored amount
 */
export async function activityPlanSection(
  db: Executor,
  organizationId: string,
  period: { from: string; to: string },
): Promise<ActivityPlanSection | null> {
  const plan = await findPlan(db, organizationId, { year: Number(period.from.slice(0, 4)) });
  if (!plan || plan.approvedVersion === 0) return null;
  const { execution, statement } = await loadPlanYear(db, plan, period.to);
  const word = (key: string) => translate("vi", `planExecution.${key}`);
  const counts = ["planned", "done", "inProgress", "notStarted", "carriedOver", "cut"] as const;
  const { approved, spent, remaining } = statement.totals;
  return {
    year: plan.year,
    decisions: (await decisionsOf(db, plan.id)).map(decisionRef),
    execution: counts.map((k) => ({ label: word(k), count: two(execution[k]) })),
    budget: [
      { label: word("approved"), amount: figures(approved) },
      { label: word("spent"), amount: figures(spent) },
      { label: word("remaining"), amount: figures(remaining) },
    ],
    spentWords: inWords(Math.max(spent, 0)),
  };
}
