/**
 * Documents the machines ask for: `renderDocument` writes a numbered document when the step
 * issues it (`issue: true`, numbered in its register in this transaction) or an unnumbered draft,
 * and queues its render, through the one document writer (server/numbering/issueDocument.ts).
 */
import { eq } from "drizzle-orm";
import { assignments } from "../db/schema.js";
import { draftDocument, issueDocument } from "../numbering/issueDocument.js";
import type { ActionHandler } from "../runtime/handlers.js";

/** The machine actions on documents, by name. */
export const documentActions: Record<string, ActionHandler> = {
  async renderDocument(ctx, params: { kind: string; issue?: boolean }, index) {
    const [a] = await ctx.tx
      .select({ confidential: assignments.confidential, title: assignments.title })
      .from(assignments)
      .where(eq(assignments.id, ctx.assignmentId));
    const doc = {
      organizationId: ctx.organizationId,
      assignmentId: ctx.assignmentId,
      kind: params.kind,
      title: a?.title ?? params.kind,
      actor: ctx.actor,
      at: ctx.clock.now(),
      viewModel: {
        event: ctx.event.type,
        version: ctx.version,
        // A letter of one invitation (thư mời) names its invitation and expert.
        ...(ctx.workflow === "invitation" ? { invitationId: ctx.workflowId, expertId: ctx.context.expertId } : {}),
        // The expert's opinion (bản nhận xét) names the expert and the version submitted.
        ...(params.kind === "expertOpinion" ? { expertId: ctx.event.expertId, opinionVersion: ctx.event.version } : {}),
      },
      renderKey: `${ctx.workflowId}:${ctx.version}:${index}`,
    };
    if (params.issue) await issueDocument(ctx.tx, { ...doc, confidential: a?.confidential ?? false });
    else await draftDocument(ctx.tx, doc);
  },
};
