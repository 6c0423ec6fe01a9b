/**
 * The records the annual plan machine asks for (workflows/annualPlan), written inside the
 * transaction that saved the plan's snapshot: item versions, submissions to the province, its
 * decisions (with each item's approved budget), the link to an opened assignment, carried-over
 * items, the plan's deadlines, its numbered documents (Tờ trình, execution report) and its mail.
 */
import { and, desc, eq, inArray, lte } from "drizzle-orm";
import type { Tx } from "../db/connect.js";
import {
  annualPlans,
  assignments,
  deadlines,
  planDecisions,
  planItemVersions,
  planItems,
  planSubmissions,
} from "../db/schema.js";
import { addCalendarDays, atVietnamTime, vietnamDateOf } from "../calendar/workingDays.js";
import { issueDocument } from "../numbering/issueDocument.js";
import type { PlanActionContext, PlanActionHandler } from "../runtime/handlers.js";
import { queueEffect } from "../runtime/queueEffect.js";
import type { AnnualPlanContext, ChangedTerms, ItemContent } from "../../workflows/annualPlan/types.js";

type VersionRow = typeof planItemVersions.$inferInsert;

/** The annual plan machine's actions, by name. */
export const planActions: Record<string, PlanActionHandler> = {
  async sendMail(ctx, params: { template: string; to: unknown; data?: Record<string, unknown> }, index) {
    await queueEffect(ctx.tx, {
      organizationId: ctx.organizationId,
      assignmentId: null,
      kind: "mail",
      payload: {
        template: params.template,
        to: params.to,
        data: params.data ?? {},
        workflow: "annualPlan",
        workflowId: ctx.planId,
        event: ctx.event.type,
      },
      idempotencyKey: `${ctx.planId}:${ctx.version}:${index}`,
      runAfter: ctx.clock.now(),
    });
  },

  /** A deadline `on` a Vietnam calendar day (at the end of its working hours) or `days` from now. */
  async scheduleDeadline(ctx, params: { key: string; on?: string; days?: number; event: Record<string, unknown> }) {
    const now = ctx.clock.now();
    const day = params.on ?? addCalendarDays(vietnamDateOf(now), params.days ?? 0);
    await cancel(ctx, [params.key]);
    await ctx.tx.insert(deadlines).values({
      organizationId: ctx.organizationId,
      assignmentId: null,
      workflow: "annualPlan",
      workflowId: ctx.planId,
      key: params.key,
      dueAt: atVietnamTime(day, "17:00"),
      event: params.event,
      status: "pending",
      createdAt: now,
    });
  },

  async cancelDeadline(ctx, params: { key: string }) {
    await cancel(ctx, [params.key]);
  },

  async cancelAllDeadlines(ctx) {
    await cancel(ctx, null);
  },

  /** The event's content as the item's next version, in the list version being prepared. */
  async saveItemVersion(ctx, params: { itemId: string; listVersion: number; reason: string | null }) {
    const content = (ctx.event as { content?: Partial<ItemContent> }).content ?? {};
    await writeVersion(ctx, params.itemId, { ...content, listVersion: params.listVersion, reason: params.reason });
  },

  /**
   * A withdrawn change: each item's content as it is in list version `inForce` (the newest version
   * at or before it), written again as the item's next version so both stay in its history.
   */
  async restoreItemVersions(ctx, params: { itemIds: string[]; inForce: number; reason: string | null }) {
    for (const itemId of params.itemIds) {
      const [inForce] = await ctx.tx
        .select()
        .from(planItemVersions)
        .where(and(eq(planItemVersions.itemId, itemId), lte(planItemVersions.listVersion, params.inForce)))
        .orderBy(desc(planItemVersions.version))
        .limit(1);
      const [latest] = await ctx.tx
        .select({ version: planItemVersions.version })
        .from(planItemVersions)
        .where(eq(planItemVersions.itemId, itemId))
        .orderBy(desc(planItemVersions.version))
        .limit(1);
      if (!inForce || !latest) continue;
      const { id: _id, source: _s, reason: _r, authorId: _a, createdAt: _c, ...content } = inForce;
      await appendVersion(ctx, { ...content, version: latest.version + 1, reason: params.reason });
    }
  },

  /** The list as sent, in its order, each item at its current version; an earlier attempt was returned. */
  async recordSubmission(ctx, params: { version: number; kind: string; itemIds: string[] }) {
    const earlier = await ctx.tx
      .select()
      .from(planSubmissions)
      .where(and(eq(planSubmissions.planId, ctx.planId), eq(planSubmissions.listVersion, params.version)));
    const pending = earlier.filter((s) => s.outcome === "pending").map((s) => s.id);
    if (pending.length > 0) {
      const returns = (ctx.context as unknown as AnnualPlanContext).returns.filter((r) => r.by === "province");
      await ctx.tx
        .update(planSubmissions)
        .set({ outcome: "returned", returnComments: returns.at(-1)?.comments ?? null })
        .where(inArray(planSubmissions.id, pending));
    }
    const items = params.itemIds.length
      ? await ctx.tx
          .select({ id: planItems.id, version: planItems.currentVersion })
          .from(planItems)
          .where(inArray(planItems.id, params.itemIds))
      : [];
    const versionOf = new Map(items.map((i) => [i.id, i.version]));
    await ctx.tx.insert(planSubmissions).values({
      organizationId: ctx.organizationId,
      planId: ctx.planId,
      listVersion: params.version,
      attempt: earlier.length + 1,
      kind: params.kind,
      items: params.itemIds.map((itemId) => ({ itemId, version: versionOf.get(itemId) ?? 1 })),
      submittedBy: ctx.actor.id,
      submittedAt: ctx.clock.now(),
    });
  },

  /** The province's decision, and a version with its approved budget for each item it approved. */
  async recordDecision(ctx, params: { version: number; kind: string }) {
    const e = ctx.event as unknown as DecisionEvent;
    const [submission] = await ctx.tx
      .select()
      .from(planSubmissions)
      .where(and(eq(planSubmissions.planId, ctx.planId), eq(planSubmissions.listVersion, params.version)))
      .orderBy(desc(planSubmissions.attempt))
      .limit(1);
    await ctx.tx.update(planSubmissions).set({ outcome: "approved" }).where(eq(planSubmissions.id, submission.id));
    await ctx.tx.insert(planDecisions).values({
      organizationId: ctx.organizationId,
      planId: ctx.planId,
      submissionId: submission.id,
      listVersion: params.version,
      number: e.number,
      decidedOn: e.date,
      issuer: e.issuer ?? "Ủy ban nhân dân tỉnh",
      fileSha256: e.fileId,
      fileName: e.fileName ?? "quyet-dinh.pdf",
      contentType: e.contentType ?? "application/pdf",
      outcomes: { cut: e.cut ?? [], changed: e.changed ?? [], kept: e.kept ?? [] },
      recordedBy: ctx.actor.id,
      recordedAt: ctx.clock.now(),
    });
    const status = new Map((ctx.context as unknown as AnnualPlanContext).items.map((i) => [i.itemId, i.status]));
    for (const { itemId } of submission.items) {
      if (!["approved", "changed", "started"].includes(status.get(itemId) ?? "")) continue;
      const terms = (e.changed ?? []).find((c) => c.itemId === itemId);
      const { itemId: _i, ...changes } = terms ?? { itemId };
      await writeVersion(ctx, itemId, { ...changes, listVersion: params.version, reason: null }, true);
    }
  },

  /** Links the opened assignment to its item (the item's side is the projection of the machine). */
  async openAssignment(ctx, params: { itemId: string; assignmentId: string }) {
    await ctx.tx
      .update(assignments)
      .set({ planItemId: params.itemId })
      .where(and(eq(assignments.id, params.assignmentId), eq(assignments.organizationId, ctx.organizationId)));
  },

  async carryOverItems(ctx, params: { itemIds: string[] }) {
    if (params.itemIds.length === 0) return;
    await ctx.tx
      .update(planItems)
      .set({ status: "carriedOver", updatedAt: ctx.clock.now() })
      .where(and(eq(planItems.planId, ctx.planId), inArray(planItems.id, params.itemIds)));
  },

  /** The Tờ trình (register TTr) or the execution report (BC), numbered now; the render follows the commit. */
  async renderDocument(ctx, params: { kind: string; version?: number }, index) {
    const [plan] = await ctx.tx.select().from(annualPlans).where(eq(annualPlans.id, ctx.planId));
    const doc = await issueDocument(ctx.tx, {
      organizationId: ctx.organizationId,
      assignmentId: null,
      kind: params.kind,
      title: plan.title,
      actor: ctx.actor,
      at: ctx.clock.now(),
      viewModel: {
        planId: ctx.planId,
        year: plan.year,
        listVersion: params.version ?? plan.approvedVersion,
        ...(params.kind === "planSubmission" ? submissionParts(ctx.context as unknown as AnnualPlanContext) : {}),
      },
      renderKey: `${ctx.planId}:${ctx.version}:${index}`,
      confidential: false,
    });
    if (params.kind !== "planSubmission") return;
    const [latest] = await ctx.tx
      .select({ id: planSubmissions.id })
      .from(planSubmissions)
      .where(eq(planSubmissions.planId, ctx.planId))
      .orderBy(desc(planSubmissions.submittedAt), desc(planSubmissions.attempt))
      .limit(1);
    if (latest)
      await ctx.tx.update(planSubmissions).set({ documentId: doc.id }).where(eq(planSubmissions.id, latest.id));
  },
};

/** What a Tờ trình prints besides the list as sent: initial or amendment, its reason, each item's part in it. */
function submissionParts(context: AnnualPlanContext) {
  const changes = Object.fromEntries(
    context.items.filter((i) => i.pending).map((i) => [i.itemId, i.pending!.kind] as const),
  );
  return { kind: context.draft?.kind ?? "initial", reason: context.draft?.reason ?? null, changes };
}

type DecisionEvent = {
  number: string;
  date: string;
  fileId: string;
  fileName?: string;
  contentType?: string;
  issuer?: string;
  cut?: string[];
  changed?: ChangedTerms[];
  kept?: string[];
};

/** Cancels the plan's open deadlines with these keys (null: all of them). */
async function cancel(ctx: PlanActionContext, keys: string[] | null): Promise<void> {
  await ctx.tx
    .update(deadlines)
    .set({ status: "cancelled" })
    .where(
      and(
        eq(deadlines.workflowId, ctx.planId),
        eq(deadlines.status, "pending"),
        keys ? inArray(deadlines.key, keys) : undefined,
      ),
    );
}

/**
 * Appends the item's next version: the latest content with `changes` over it. With `approve`, the
 * version carries the approved budget (the estimated cost as the decision leaves it).
 */
async function writeVersion(
  ctx: PlanActionContext,
  itemId: string,
  changes: Partial<ItemContent> & { listVersion: number; reason: string | null },
  approve = false,
): Promise<void> {
  const tx: Tx = ctx.tx;
  const [latest] = await tx
    .select()
    .from(planItemVersions)
    .where(eq(planItemVersions.itemId, itemId))
    .orderBy(desc(planItemVersions.version))
    .limit(1);
  const { listVersion, reason, ...content } = changes;
  const base: Partial<VersionRow> = latest ? { ...latest } : {};
  const row: Omit<VersionRow, "source" | "authorId" | "createdAt"> = {
    organizationId: ctx.organizationId,
    itemId,
    version: (latest?.version ?? 0) + 1,
    listVersion,
    title: content.title ?? base.title!,
    type: content.type ?? base.type!,
    forms: content.forms ?? base.forms!,
    subjectKind: content.subjectKind !== undefined ? content.subjectKind : (base.subjectKind ?? null),
    orderingAgencyId:
      content.orderingAgencyId !== undefined ? content.orderingAgencyId : (base.orderingAgencyId ?? null),
    draftingAgency: content.draftingAgency !== undefined ? content.draftingAgency : (base.draftingAgency ?? null),
    quarter: content.quarter ?? base.quarter!,
    rationale: content.rationale ?? base.rationale!,
    estimatedCost: content.estimatedCost ?? base.estimatedCost!,
    approvedBudget: approve ? (content.estimatedCost ?? base.estimatedCost!) : (base.approvedBudget ?? null),
    reason,
  };
  await appendVersion(ctx, row);
}

/** Stores `row` as the item's newest version, made by this event's actor now, and points the item at it. */
async function appendVersion(ctx: PlanActionContext, row: Omit<VersionRow, "source" | "authorId" | "createdAt">) {
  const now = ctx.clock.now();
  await ctx.tx
    .insert(planItemVersions)
    .values({ ...row, source: ctx.event.type, authorId: ctx.actor.id, createdAt: now });
  await ctx.tx
    .update(planItems)
    .set({ currentVersion: row.version, updatedAt: now })
    .where(eq(planItems.id, row.itemId));
}
