/**
 * A row of the organisation's rates table (định mức chi): an amount for an item and panel role,
 * in force from a day, on a legal basis. Rows are never edited: a new resolution is a new row.
 */
import { rates } from "../db/schema.js";
import type { Db } from "../db/connect.js";
import { ConflictError } from "../errors.js";
import type { Actor } from "../runtime/actor.js";
import type { Clock } from "../runtime/clock.js";
import { requireMoneyWriter } from "../policies/planPolicy.js";
import { toNonNegativeDong } from "../money/dong.js";
import type { RateItem, RateRole } from "../money/types.js";

export type RateInput = {
  item: RateItem;
  role?: RateRole | null;
  label: string;
  unit: string;
  amount: number;
  effectiveFrom: string;
  effectiveTo?: string | null;
  legalBasis: string;
};

/** @throws ForbiddenError forbidden, ValidationError invalid_amount, ConflictError rate_exists */
export async function addRate(deps: { db: Db; clock: Clock }, props: { actor: Actor; input: RateInput }) {
  const { actor, input } = props;
  requireMoneyWriter(actor, "rate");
  const amount = toNonNegativeDong(input.amount, "amount");
  const [row] = await deps.db
    .insert(rates)
    .values({
      organizationId: actor.organizationId,
      item: input.item,
      role: input.role ?? null,
      label: input.label,
      unit: input.unit,
      amount,
      effectiveFrom: input.effectiveFrom,
      effectiveTo: input.effectiveTo ?? null,
      legalBasis: input.legalBasis,
      createdBy: actor.id,
      createdAt: deps.clock.now(),
    })
    .onConflictDoNothing()
    .returning();
  if (!row) throw new ConflictError("rate_exists", "Định mức này đã có cho ngày hiệu lực đó.");
  return row;
}
