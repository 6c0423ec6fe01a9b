/**
 * The numbered recommendations of an approved report, and the agency's answers to them, written
 * when the machine records them.
 */
import { recommendationResponses, recommendations } from "../db/schema.js";
import type { ActionHandler } from "../runtime/handlers.js";

type Recommendation = { id: string; number: number; text: string };
type Answer = { recommendationId: string; status: string; explanation?: string };

/** The machine actions on recommendations and responses, by name. */
export const recommendationActions: Record<string, ActionHandler> = {
  /** Writes the recommendations the event carries, for the current round and report version. */
  async createRecommendations(ctx) {
    const recs = (ctx.event.recommendations ?? []) as Recommendation[];
    const c = ctx.context as { round: number; reportVersion: number };
    if (!recs.length) return;
    await ctx.tx.insert(recommendations).values(
      recs.map((r) => ({
        id: r.id,
        organizationId: ctx.organizationId,
        assignmentId: ctx.assignmentId,
        round: c.round,
        number: r.number,
        text: r.text,
        reportVersion: c.reportVersion,
        createdAt: ctx.clock.now(),
      })),
    );
  },

  /** Writes the agency's answer to each recommendation. */
  async recordResponses(ctx) {
    const answers = (ctx.event.answers ?? []) as Answer[];
    if (!answers.length) return;
    await ctx.tx.insert(recommendationResponses).values(
      answers.map((a) => ({
        organizationId: ctx.organizationId,
        assignmentId: ctx.assignmentId,
        recommendationId: a.recommendationId,
        status: a.status,
        explanation: a.explanation ?? null,
        respondedBy: ctx.actor.id,
        createdAt: ctx.clock.now(),
      })),
    );
  },
};
