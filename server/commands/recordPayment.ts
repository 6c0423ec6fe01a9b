/**
 * A payment as the accountant records it with its voucher (to whom, for what, how much, when),
 * and its correction: a reversal row (negative, naming the payment), never an edit.
 */
import { and, eq } from "drizzle-orm";
import type { Db, Tx } from "../db/connect.js";
import { experts, payments } from "../db/schema.js";
import { NotFoundError, ValidationError } from "../errors.js";
import type { Actor } from "../runtime/actor.js";
import type { Clock } from "../runtime/clock.js";
import { requireMoneyWriter } from "../policies/planPolicy.js";
import { checkPayment } from "../money/checkPayment.js";
import { paymentOf } from "../money/records.js";
import type { PayeeKind, Payment } from "../money/types.js";
import { personName } from "../words/personName.js";
import { assignmentFor } from "./prepareEstimate.js";

export type PaymentInput = {
  assignmentId: string;
  payee: { kind: PayeeKind; expertId?: string | null; name?: string };
  item: Payment["item"];
  description: string;
  amount: number;
  taxWithheld?: number;
  paidOn: string;
  voucherNumber: string;
};

type Deps = { db: Db; clock: Clock };

/**
 * @throws ForbiddenError forbidden, NotFoundError assignment_not_found,
 *   ValidationError invalid_amount | invalid_date | voucher_required | payee_required | invalid_item
 */
export async function recordPayment(deps: Deps, props: { actor: Actor; input: PaymentInput }) {
  const { actor, input } = props;
  requireMoneyWriter(actor, "payment");
  return deps.db.transaction(async (tx) => {
    const a = await assignmentFor(tx, actor, input.assignmentId);
    const name = input.payee.kind === "expert" ? await expertName(tx, actor, input.payee.expertId) : input.payee.name;
    const p: Payment = {
      id: "",
      assignmentId: a.id,
      planItemId: a.planItemId,
      payee: { kind: input.payee.kind, expertId: input.payee.expertId ?? null, name: name ?? "" },
      item: input.item,
      description: input.description,
      amount: input.amount,
      taxWithheld: input.taxWithheld ?? 0,
      paidOn: input.paidOn,
      voucherNumber: input.voucherNumber,
      reversesId: null,
    };
    checkPayment(p, []);
    return insertPayment(tx, deps, actor, p);
  });
}

/**
 * Reverses (part of) a recorded payment: a negative row of the same payee naming it.
 * @throws ForbiddenError forbidden, NotFoundError payment_not_found, ValidationError reversal_unknown | …
 */
export async function reversePayment(
  deps: Deps,
  props: {
    actor: Actor;
    paymentId: string;
    input: { amount?: number; paidOn: string; voucherNumber: string; reason: string };
  },
) {
  const { actor, input } = props;
  requireMoneyWriter(actor, "payment");
  return deps.db.transaction(async (tx) => {
    const [orig] = /^[0-9a-f-]{36}$/i.test(props.paymentId)
      ? await tx
          .select()
          .from(payments)
          .where(and(eq(payments.id, props.paymentId), eq(payments.organizationId, actor.organizationId)))
      : [];
    if (!orig) throw new NotFoundError("payment_not_found", "Không tìm thấy khoản chi.");
    const related = await tx.select().from(payments).where(eq(payments.reversesId, orig.id));
    const original = paymentOf(orig);
    const amount = -(input.amount ?? orig.amount);
    const ratio = amount / orig.amount;
    const p: Payment = {
      ...original,
      id: "",
      description: `${input.reason}`,
      amount,
      taxWithheld: Math.round(orig.taxWithheld * ratio),
      paidOn: input.paidOn,
      voucherNumber: input.voucherNumber,
      reversesId: orig.id,
    };
    checkPayment(p, [original, ...related.map(paymentOf)]);
    return insertPayment(tx, deps, actor, p);
  });
}

async function insertPayment(tx: Tx, deps: Deps, actor: Actor, p: Payment) {
  const [row] = await tx
    .insert(payments)
    .values({
      organizationId: actor.organizationId,
      assignmentId: p.assignmentId,
      planItemId: p.planItemId,
      payeeKind: p.payee.kind,
      expertId: p.payee.expertId,
      payeeName: p.payee.name,
      item: p.item,
      description: p.description,
      amount: p.amount,
      taxWithheld: p.taxWithheld,
      paidOn: p.paidOn,
      voucherNumber: p.voucherNumber,
      reversesId: p.reversesId,
      recordedBy: actor.id,
      recordedAt: deps.clock.now(),
    })
    .returning();
  return row;
}

/** An expert payee's name as the registry writes it. @throws NotFoundError expert_not_found */
async function expertName(tx: Tx, actor: Actor, expertId: string | null | undefined): Promise<string> {
  const [e] = expertId
    ? await tx
        .select()
        .from(experts)
        .where(and(eq(experts.id, expertId), eq(experts.organizationId, actor.organizationId)))
    : [];
  if (!e) throw new ValidationError("payee_required", "Cần chọn chuyên gia nhận tiền.", "payee.expertId");
  return personName(e);
}
