/**
 * The two financial forms of one assignment from the database: the settlement of experts' fees
 * (bảng kê chi thù lao chuyên gia: one line per paid expert, for the expert's signature) and the
 * cost estimate (dự toán kinh phí, its latest version). Who drew them up is the person issuing; the
 * accountant is the organisation's user with the accountant role.
 */
import { and, arrayContains, asc, desc, eq } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import { estimateAdjustments, estimateLines, estimates, experts, invitations, payments, users } from "../db/schema.js";
import { ValidationError } from "../errors.js";
import { buildSettlement } from "../money/buildSettlement.js";
import { paymentOf } from "../money/records.js";
import type { Estimate, RateItem, RateRole } from "../money/types.js";
import { label } from "../words/catalogue.js";
import { personName } from "../words/personName.js";
import { issuedRef } from "./assignmentData.js";
import { buildCostEstimateModel } from "./costEstimateModel.js";
import { buildFeeSettlementModel } from "./feeSettlementModel.js";
import type { ModelContext } from "./modelContext.js";
import type { DocumentModels } from "./types.js";

/** Who signs as the preparer and as the accountant. */
async function financeSigners(c: ModelContext): Promise<{ preparedBy: string; accountant: string }> {
  const [accountant] = await c.db
    .select({ name: users.fullName })
    .from(users)
    .where(and(eq(users.organizationId, c.organizationId), arrayContains(users.roles, ["accountant"])))
    .orderBy(asc(users.createdAt))
    .limit(1);
  return { preparedBy: c.meta.preparedBy ?? "", accountant: accountant?.name ?? "" };
}

/**
 * The settlement of experts' fees of the assignment, over its payments.
 * @throws ValidationError `invalid_amount`, `payment_other_assignment`
 */
export async function feeSettlementModel(c: ModelContext): Promise<DocumentModels["feeSettlement"]> {
  const rows = await c.db.select().from(payments).where(eq(payments.assignmentId, c.d.a.id));
  const panel = await c.db
    .select({ i: invitations, e: experts })
    .from(invitations)
    .innerJoin(experts, eq(experts.id, invitations.expertId))
    .where(and(eq(invitations.assignmentId, c.d.a.id), eq(invitations.state, "accepted")))
    .orderBy(asc(invitations.rank));
  const settlement = buildSettlement({
    assignmentId: c.d.a.id,
    payments: rows.map(paymentOf),
    panel: panel.map(({ i, e }) => ({
      expertId: e.id,
      name: personName(e),
      role: label("panelRole", i.panelRole, "vi"),
      workplace: e.workplace,
    })),
  });
  const decision = await issuedRef(c.db, c.d.a.id, "panelDecision", c.profile);
  return buildFeeSettlementModel({
    ...c.base,
    ...c.marks,
    ...(await financeSigners(c)),
    settlement,
    subject: { type: c.subject.type, title: c.subject.title },
    panelDecision: decision ? { ...decision, panelKind: c.panelKind === "council" ? "council" : "expert_group" } : null,
  });
}

/**
 * The assignment's latest cost estimate.
 * @throws ValidationError `document_data_missing` (no estimate yet), `invalid_amount`
 */
export async function costEstimateModel(c: ModelContext): Promise<DocumentModels["costEstimate"]> {
  const [e] = await c.db
    .select()
    .from(estimates)
    .where(eq(estimates.assignmentId, c.d.a.id))
    .orderBy(desc(estimates.version))
    .limit(1);
  if (!e) throw new ValidationError("document_data_missing", "Nhiệm vụ chưa có dự toán.");
  const lines = await c.db
    .select()
    .from(estimateLines)
    .where(eq(estimateLines.estimateId, e.id))
    .orderBy(asc(estimateLines.position));
  const adjustments = await c.db
    .select()
    .from(estimateAdjustments)
    .where(eq(estimateAdjustments.estimateId, e.id))
    .orderBy(asc(estimateAdjustments.position));
  const estimate: Estimate = {
    on: e.ratesOn,
    lines: lines.map((l) => ({ ...l, item: l.item as RateItem, role: l.role as RateRole | null })),
    subtotal: e.subtotal,
    adjustments: adjustments.map((a) => ({ label: a.label, amount: a.amount, reason: a.reason })),
    total: e.total,
    budget: e.budget,
    overBudget: e.budget !== null && e.total > e.budget,
    legalBases: [...new Set(lines.map((l) => l.legalBasis))],
  };
  return buildCostEstimateModel({
    ...c.base,
    ...c.marks,
    ...(await financeSigners(c)),
    estimate,
    subject: { ...c.subject, forms: c.d.a.forms },
  });
}
