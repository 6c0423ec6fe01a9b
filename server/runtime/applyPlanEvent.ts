/**
 * Save, then do, for the annual plan (workflows/annualPlan): one transaction loads the plan's
 * snapshot, computes the transition with the pure `transition()`, saves the snapshot under the
 * version check, projects the machine's items onto `plan_items` (status, rank, quarter, merge,
 * assignment), appends the history row (workflow "annualPlan", no assignment) and performs the
 * actions through the handlers installed at boot (records in this transaction, effects queued).
 */
import { and, eq } from "drizzle-orm";
import { initialTransition } from "xstate";
import { transition } from "./pureTransition.js";
import { annualPlanMachine, ANNUAL_PLAN_MACHINE_VERSION } from "../../workflows/annualPlan/annualPlanMachine.js";
import type {
  AnnualPlanContext,
  AnnualPlanEvent,
  AnnualPlanInput,
  PlanItem,
} from "../../workflows/annualPlan/types.js";
import { restoreSnapshot } from "../../workflows/restoreSnapshot.js";
import type { Tx } from "../db/connect.js";
import { annualPlans, planItems } from "../db/schema.js";
import { ConflictError, NotFoundError } from "../errors.js";
import type { Actor } from "./actor.js";
import type { Clock } from "./clock.js";
import { appendHistory } from "./appendHistory.js";
import { refuse } from "./applyEvent.js";
import { performPlanActions, type PlanActionContext } from "./handlers.js";
import { flattenState } from "./stateValue.js";

export type PlanRow = typeof annualPlans.$inferSelect;
type EngineCtx = { clock: Clock; actor: Actor };
type AnyEvent = { type: string } & Record<string, unknown>;

const STALE_PLAN = "Danh mục vừa được người khác cập nhật; hãy tải lại rồi thử lại.";

/** A new plan's row, without what the machine decides. */
export type NewPlan = { id: string; organizationId: string; title: string; createdBy: string | null };

/**
 * Inserts a new annual plan in its machine's initial state (collecting proposals) inside `tx`, its
 * first history row (`plan.create`) and the initial state's actions (the proposals deadline, the
 * call for proposals). Throws what the database throws (one plan per organisation and year).
 */
export async function createPlanInTx(tx: Tx, ctx: EngineCtx, row: NewPlan, input: AnnualPlanInput): Promise<PlanRow> {
  const [snap, actions] = initialTransition(annualPlanMachine, input);
  const now = ctx.clock.now();
  const state = flattenState(snap.value);
  const [inserted] = await tx
    .insert(annualPlans)
    .values({
      ...row,
      year: input.year,
      proposalsDueOn: input.proposalsDueOn,
      state,
      machineVersion: ANNUAL_PLAN_MACHINE_VERSION,
      snapshot: annualPlanMachine.getPersistedSnapshot(snap),
      version: 1,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  const event = { type: "plan.create", year: input.year, proposalsDueOn: input.proposalsDueOn };
  await history(tx, ctx, inserted, 1, event, null, state);
  await performPlanActions(planActionContext(tx, ctx, inserted, 1, snap.context, event), actions);
  return inserted;
}

/**
 * Applies an event to an annual plan inside `tx`.
 * @throws NotFoundError plan_not_found, ConflictError event_not_allowed | rule_violated | stale_version
 */
export async function applyPlanEventInTx(
  tx: Tx,
  ctx: EngineCtx,
  plan: string | PlanRow,
  event: AnyEvent,
  opts: { expectedVersion?: number } = {},
): Promise<PlanRow> {
  const row = await planRow(tx, ctx.actor, plan);
  if (opts.expectedVersion !== undefined && opts.expectedVersion !== row.version)
    throw new ConflictError("stale_version", STALE_PLAN, { version: row.version });
  const snap = restoreSnapshot(annualPlanMachine, row.snapshot);
  if (!snap.can(event as AnnualPlanEvent)) refuse(annualPlanMachine, snap as never, event, row.state);
  const [next, actions] = transition(annualPlanMachine, snap, event as AnnualPlanEvent);
  const now = ctx.clock.now();
  const state = flattenState(next.value);
  const version = row.version + 1;
  const context = next.context;
  const updated = await tx
    .update(annualPlans)
    .set({
      snapshot: annualPlanMachine.getPersistedSnapshot(next),
      state,
      version,
      approvedVersion: context.approvedVersion,
      machineVersion: ANNUAL_PLAN_MACHINE_VERSION,
      updatedAt: now,
    })
    .where(and(eq(annualPlans.id, row.id), eq(annualPlans.version, row.version)))
    .returning();
  if (updated.length !== 1) throw new ConflictError("stale_version", STALE_PLAN);
  await projectItems(tx, ctx, updated[0], context);
  await history(tx, ctx, row, version, event, row.state, state);
  await performPlanActions(planActionContext(tx, ctx, updated[0], version, context, event), actions);
  return updated[0];
}

/** The plan row in the actor's organisation (or the row the caller read). @throws NotFoundError plan_not_found */
async function planRow(tx: Tx, actor: Actor, plan: string | PlanRow): Promise<PlanRow> {
  const [row] =
    typeof plan !== "string"
      ? [plan]
      : await tx
          .select()
          .from(annualPlans)
          .where(and(eq(annualPlans.id, plan), eq(annualPlans.organizationId, actor.organizationId)));
  if (!row || row.organizationId !== actor.organizationId)
    throw new NotFoundError("plan_not_found", "Không tìm thấy danh mục.");
  return row;
}

/**
 * Projects the machine's items onto `plan_items`: new items are inserted (numbered in order of
 * arrival), known ones get the machine's status, rank, quarter, merge target and assignment.
 */
async function projectItems(tx: Tx, ctx: EngineCtx, plan: PlanRow, context: AnnualPlanContext): Promise<void> {
  const known = await tx
    .select({
      id: planItems.id,
      status: planItems.status,
      rank: planItems.rank,
      quarter: planItems.quarter,
      mergedIntoId: planItems.mergedIntoId,
      assignmentId: planItems.assignmentId,
    })
    .from(planItems)
    .where(eq(planItems.planId, plan.id));
  const byId = new Map(known.map((k) => [k.id, k]));
  let number = known.length;
  const now = ctx.clock.now();
  for (const item of context.items) {
    const fields = projected(item);
    const was = byId.get(item.itemId);
    if (!was) {
      await tx.insert(planItems).values({
        id: item.itemId,
        organizationId: plan.organizationId,
        planId: plan.id,
        number: ++number,
        proposerKind: item.proposer.kind,
        agencyId: item.proposer.kind === "agency" ? item.proposer.id : null,
        memberAssociationId: item.proposer.kind === "association" ? item.proposer.id : null,
        addedInVersion: item.addedIn,
        currentVersion: 0,
        createdBy: ctx.actor.id,
        createdAt: now,
        updatedAt: now,
        ...fields,
      });
    } else if (changed(was, fields)) {
      await tx
        .update(planItems)
        .set({ ...fields, updatedAt: now })
        .where(eq(planItems.id, item.itemId));
    }
  }
}

type Projected = {
  status: string;
  rank: number | null;
  quarter: number;
  mergedIntoId: string | null;
  assignmentId: string | null;
};
const changed = (was: Projected, now: Projected) =>
  (Object.keys(now) as Array<keyof Projected>).some((k) => was[k] !== now[k]);

function projected(item: PlanItem) {
  return {
    status: item.status,
    rank: item.rank,
    quarter: item.quarter,
    mergedIntoId: item.mergedInto,
    assignmentId: item.assignmentId,
  };
}

async function history(
  tx: Tx,
  ctx: EngineCtx,
  plan: { id: string; organizationId: string },
  version: number,
  event: AnyEvent,
  fromState: string | null,
  toState: string,
): Promise<void> {
  const { type: _t, ...payload } = event;
  const reason = ["reason", "comments"].map((k) => event[k]).find((v) => typeof v === "string") as string | undefined;
  await appendHistory(tx, {
    organizationId: plan.organizationId,
    assignmentId: null,
    workflow: "annualPlan",
    workflowId: plan.id,
    version,
    actor: ctx.actor,
    eventType: event.type,
    payload,
    fromState,
    toState,
    reason: reason ?? null,
    at: ctx.clock.now(),
  });
}

function planActionContext(
  tx: Tx,
  ctx: EngineCtx,
  plan: PlanRow,
  version: number,
  context: AnnualPlanContext,
  event: AnyEvent,
): PlanActionContext {
  return {
    tx,
    clock: ctx.clock,
    actor: ctx.actor,
    organizationId: plan.organizationId,
    workflow: "annualPlan",
    workflowId: plan.id,
    planId: plan.id,
    version,
    context: context as unknown as Record<string, unknown>,
    event,
  };
}
