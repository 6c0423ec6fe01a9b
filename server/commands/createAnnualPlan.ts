/**
 * Opens a year's annual plan (danh mục TVPB&GĐXH năm …): the secretariat calls for proposals until
 * the given day. One plan per organisation and year.
 */
import { and, eq } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import { annualPlans } from "../db/schema.js";
import { ConflictError } from "../errors.js";
import type { Actor } from "../runtime/actor.js";
import { inTransaction, type RuntimeDeps } from "../runtime/applyEvent.js";
import { createPlanInTx, type PlanRow } from "../runtime/applyPlanEvent.js";
import { requirePlanManager } from "../policies/planPolicy.js";
import { translate } from "../words/catalogue.js";

export type CreatePlanInput = { year: number; proposalsDueOn: string; decisionFollowUpDays?: number; title?: string };

/** @throws ForbiddenError forbidden, ConflictError plan_exists */
export async function createAnnualPlan(
  deps: RuntimeDeps,
  props: { actor: Actor; input: CreatePlanInput },
): Promise<PlanRow> {
  const { actor, input } = props;
  requirePlanManager(actor);
  return inTransaction(deps, async (tx) => {
    const [existing] = await tx
      .select({ id: annualPlans.id })
      .from(annualPlans)
      .where(and(eq(annualPlans.organizationId, actor.organizationId), eq(annualPlans.year, input.year)));
    if (existing) throw new ConflictError("plan_exists", `Danh mục năm ${input.year} đã có.`, { id: existing.id });
    const id = randomUUID();
    const title = input.title ?? translate("vi", "plan.defaultTitle", { year: input.year });
    return createPlanInTx(
      tx,
      { clock: deps.clock, actor },
      { id, organizationId: actor.organizationId, title, createdBy: actor.id },
      {
        planId: id,
        year: input.year,
        proposalsDueOn: input.proposalsDueOn,
        decisionFollowUpDays: input.decisionFollowUpDays ?? 30,
      },
    );
  });
}
