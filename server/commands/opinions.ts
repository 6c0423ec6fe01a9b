/**
 * Expert opinions (bản nhận xét / ý kiến phản biện), versioned. A draft is the expert's own
 * working copy; submitting makes that version read-only and tells the assignment. A revision
 * before the deadline is a new version; an edit by the secretariat on an expert's behalf is a new
 * submitted version with a reason, and the expert is notified.
 */
import { and, desc, eq } from "drizzle-orm";
import { opinionVersions } from "../db/schema.js";
import { ConflictError, ForbiddenError, ValidationError } from "../errors.js";
import type { Actor } from "../runtime/actor.js";
import {
  applyAssignmentEventInTx,
  inTransaction,
  type AssignmentRow,
  type RuntimeDeps,
} from "../runtime/applyEvent.js";
import { queueEffect } from "../runtime/queueEffect.js";
import { appendHistory } from "../runtime/appendHistory.js";
import { loadAssignment, panelSeatOf } from "../policies/assignmentPolicy.js";
import type { Tx } from "../db/connect.js";

export type OpinionContent = {
  general: string;
  specific: Array<{ section: string; comment: string; suggestion: string }>;
  /** Absent in a draft until the expert chooses; required on submit. */
  conclusion?: "agree" | "agree_with_revisions" | "disagree";
  recommendations: string;
};

async function latest(tx: Tx, assignmentId: string, expertId: string) {
  const [row] = await tx
    .select()
    .from(opinionVersions)
    .where(and(eq(opinionVersions.assignmentId, assignmentId), eq(opinionVersions.expertId, expertId)))
    .orderBy(desc(opinionVersions.version))
    .limit(1);
  return row;
}

/** The assignment under review and the actor's accepted seat on its panel. @throws 404, 409, 403 */
async function openSeat(tx: Tx, actor: Actor, assignmentId: string) {
  const a = await loadAssignment(tx, actor, assignmentId);
  if (a.state !== "underReview")
    throw new ConflictError("event_not_allowed", "Chỉ nhận ý kiến khi nhiệm vụ đang trong giai đoạn phản biện.");
  const seat = await panelSeatOf(tx, actor, a.id);
  if (!seat) throw new ForbiddenError("Chỉ thành viên Hội đồng/Tổ chuyên gia đã nhận lời mới gửi ý kiến.");
  return { a, seat };
}

/** Saves the expert's draft (creates a new version after a submitted one). */
export async function saveOpinionDraft(
  deps: RuntimeDeps,
  props: { actor: Actor; assignmentId: string; content: OpinionContent },
) {
  return inTransaction(deps, async (tx) => {
    const { a, seat } = await openSeat(tx, props.actor, props.assignmentId);
    const prev = await latest(tx, a.id, seat.expertId);
    const now = deps.clock.now();
    if (prev && prev.status === "draft") {
      const [row] = await tx
        .update(opinionVersions)
        .set({ content: props.content, createdAt: now })
        .where(eq(opinionVersions.id, prev.id))
        .returning();
      return row;
    }
    const [row] = await tx
      .insert(opinionVersions)
      .values({
        organizationId: a.organizationId,
        assignmentId: a.id,
        expertId: seat.expertId,
        version: (prev?.version ?? 0) + 1,
        status: "draft",
        content: props.content,
        authorId: props.actor.id,
        createdAt: now,
      })
      .returning();
    return row;
  });
}

/** Submits the latest draft: it becomes read-only and counts for the assignment. */
export async function submitOpinion(deps: RuntimeDeps, props: { actor: Actor; assignmentId: string }) {
  return inTransaction(deps, async (tx) => {
    const { a, seat } = await openSeat(tx, props.actor, props.assignmentId);
    const draft = await latest(tx, a.id, seat.expertId);
    if (!draft || draft.status !== "draft") throw new ConflictError("no_draft", "Chưa có bản nháp ý kiến để gửi.");
    validateComplete(draft.content as OpinionContent);
    const now = deps.clock.now();
    const [row] = await tx
      .update(opinionVersions)
      .set({ status: "submitted", submittedAt: now })
      .where(eq(opinionVersions.id, draft.id))
      .returning();
    await applyAssignmentEventInTx(tx, { clock: deps.clock, actor: props.actor }, a.id, {
      type: "opinion.submitted",
      expertId: seat.expertId,
      version: row.version,
    });
    return row;
  });
}

/**
 * The states in which the secretariat may still edit an opinion on an expert's behalf: while the
 * review is open and during consolidation, until the report is submitted for approval. After that
 * the report rests on the opinions as they stand, so they are frozen.
 */
export const ON_BEHALF_EDIT_STATES: readonly string[] = ["underReview", "consolidation"];

/**
 * The secretariat corrects a submitted opinion on the expert's behalf: a new version, with a
 * reason, an `opinion.edited` row in the assignment's history, and a mail to the expert.
 * @throws ValidationError reason_required, opinion_incomplete; ConflictError opinion_frozen (the
 *   report has been submitted), no_submitted_opinion; NotFoundError assignment_not_found
 */
export async function editOpinionOnBehalf(
  deps: RuntimeDeps,
  props: { actor: Actor; assignmentId: string; expertId: string; content: OpinionContent; reason: string },
) {
  if (!props.reason?.trim())
    throw new ValidationError("reason_required", "Cần nêu lý do chỉnh sửa thay chuyên gia.", "reason");
  return inTransaction(deps, async (tx) => {
    const a = await loadAssignment(tx, props.actor, props.assignmentId);
    if (!ON_BEHALF_EDIT_STATES.includes(a.state))
      throw new ConflictError("opinion_frozen", "Báo cáo đã trình duyệt: không còn sửa ý kiến thay chuyên gia được.");
    const prev = await latest(tx, a.id, props.expertId);
    if (!prev || prev.status !== "submitted")
      throw new ConflictError("no_submitted_opinion", "Chuyên gia chưa gửi ý kiến để chỉnh sửa.");
    validateComplete(props.content);
    const now = deps.clock.now();
    const [row] = await tx
      .insert(opinionVersions)
      .values({
        organizationId: a.organizationId,
        assignmentId: a.id,
        expertId: props.expertId,
        version: prev.version + 1,
        status: "submitted",
        content: props.content,
        reason: props.reason,
        authorId: props.actor.id,
        createdAt: now,
        submittedAt: now,
      })
      .returning();
    await recordOnBehalfEdit(
      tx,
      { assignment: a, actor: props.actor, expertId: props.expertId, reason: props.reason },
      { row, previousVersion: prev.version, now },
    );
    if (a.state === "underReview") {
      await applyAssignmentEventInTx(
        tx,
        { clock: deps.clock, actor: props.actor },
        a.id,
        { type: "opinion.submitted", expertId: props.expertId, version: row.version },
        { reason: props.reason },
      );
    }
    return row;
  });
}

/** The edit's history row (`opinion.edited`) and the mail that tells the expert. */
async function recordOnBehalfEdit(
  tx: Tx,
  who: { assignment: AssignmentRow; actor: Actor; expertId: string; reason: string },
  edit: { row: { id: string; version: number }; previousVersion: number; now: Date },
) {
  const { assignment: a, actor, expertId, reason } = who;
  const { row, previousVersion, now } = edit;
  await appendHistory(tx, {
    organizationId: a.organizationId,
    assignmentId: a.id,
    workflow: "opinion",
    workflowId: row.id,
    version: 1,
    actor: { id: actor.id, name: actor.name },
    eventType: "opinion.edited",
    payload: { expertId, version: row.version, previousVersion },
    fromState: a.state,
    toState: a.state,
    reason: reason.trim(),
    at: now,
  });
  await queueEffect(tx, {
    organizationId: a.organizationId,
    assignmentId: a.id,
    kind: "mail",
    payload: {
      template: "opinion.edited",
      to: { expertId },
      data: { version: row.version, reason },
      workflow: "assignment",
      workflowId: a.id,
    },
    idempotencyKey: `opinion:${row.id}`,
    runAfter: now,
  });
}

function validateComplete(c: OpinionContent) {
  if (!c.general?.trim()) throw new ValidationError("opinion_incomplete", "Cần có nhận xét chung (mục I).", "general");
  if (!c.conclusion || !["agree", "agree_with_revisions", "disagree"].includes(c.conclusion))
    throw new ValidationError("opinion_incomplete", "Cần chọn kết luận (mục III).", "conclusion");
}
