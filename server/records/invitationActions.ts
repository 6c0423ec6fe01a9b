/**
 * Invitations the assignment machine asks for: one invitation workflow per panel seat, cancelled
 * when the panel is settled, and each invitation's outcome forwarded to its assignment. They reach
 * the engine through the action's context (`ctx.engine`), in the same transaction.
 */
import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { invitations } from "../db/schema.js";
import type { ActionHandler } from "../runtime/handlers.js";

type Seat = { invitationId: string; expertId: string; role: "chair" | "secretary" | "member" };
type Outcome = { type: "invitation.accepted" | "invitation.declined" | "invitation.expired"; conflict?: boolean };

/** The machine actions on invitations, by name. */
export const invitationActions: Record<string, ActionHandler> = {
  /** Creates an invitation per seat, ranked after the assignment's earlier invitations. */
  async createInvitations(ctx, params: { seats: Seat[] }) {
    const timeline = (ctx.context as { timeline: { invitationWorkingDays: number } }).timeline;
    const [{ n }] = await ctx.tx
      .select({ n: sql<number>`count(*)::int` })
      .from(invitations)
      .where(eq(invitations.assignmentId, ctx.assignmentId));
    let rank = Number(n);
    for (const seat of params.seats) {
      await ctx.engine.createInvitation({
        ...seat,
        assignmentId: ctx.assignmentId,
        organizationId: ctx.organizationId,
        rank: rank++,
        responseWorkingDays: timeline.invitationWorkingDays,
      });
    }
  },

  /** Invitations still open when the panel is settled (or the assignment ends) are cancelled. */
  async cancelInvitations(ctx) {
    const open = await ctx.tx
      .select({ id: invitations.id })
      .from(invitations)
      .where(and(eq(invitations.assignmentId, ctx.assignmentId), eq(invitations.state, "invited")));
    for (const inv of open) await ctx.engine.applyInvitationEvent(inv.id, { type: "invitation.cancel" });
  },

  /** One seat's invitation is cancelled (its expert replaced), whether still open or accepted. */
  async cancelInvitation(ctx, params: { invitationId: string }) {
    const [inv] = await ctx.tx
      .select({ id: invitations.id, state: invitations.state })
      .from(invitations)
      .where(and(eq(invitations.assignmentId, ctx.assignmentId), eq(invitations.id, params.invitationId)));
    if (inv && ["invited", "accepted"].includes(inv.state))
      await ctx.engine.applyInvitationEvent(inv.id, { type: "invitation.cancel" });
  },

  /** Tells the assignment how its invitation ended; a loss names the id of the next alternate's invitation. */
  async notifyAssignment(ctx, params: Outcome) {
    const event =
      params.type === "invitation.accepted"
        ? { type: params.type, invitationId: ctx.workflowId, ...(params.conflict ? { conflict: true } : {}) }
        : {
            type: params.type,
            invitationId: ctx.workflowId,
            conflict: !!params.conflict,
            nextInvitationId: randomUUID(),
          };
    await ctx.engine.applyAssignmentEvent(ctx.assignmentId, event);
  },
};
