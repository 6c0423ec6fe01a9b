/** One history row as the API returns it (GET /api/v1/assignments/:id/history). */
import type { history } from "../db/schema.js";

/** A transition: when, which workflow, which event, who, from which state to which, why. */
export function presentHistoryEntry(h: typeof history.$inferSelect) {
  return {
    id: h.id,
    at: h.createdAt.toISOString(),
    workflow: h.workflow,
    workflowId: h.workflowId,
    version: h.version,
    event: h.eventType,
    actor: h.actorName,
    from: h.fromState,
    to: h.toState,
    reason: h.reason,
    payload: h.payload,
  };
}
