/**
 * The events an actor may send to an assignment now: the `can` list of the detail and of an
 * event's answer. Roles first (the policy), then the machine's guards on sample payloads.
 */
import type { Actor } from "../runtime/actor.js";
import { allowedEvents, type AssignmentRow } from "../runtime/applyEvent.js";
import { assignmentMachine } from "../../workflows/assignment/assignmentMachine.js";
import { mayAttempt, USER_EVENTS } from "../policies/assignmentPolicy.js";
// The sample payloads are being replaced by the event declarations (issue 10, part 3).
import { sampleEvent } from "../http/routes/sampleEvents.js";

/** The event types this actor may send to the assignment in its current state. */
export function allowedEventsFor(a: AssignmentRow, actor: Actor): string[] {
  const ctx = ((a.snapshot as { context?: Record<string, unknown> }).context ?? {}) as Record<string, unknown>;
  const candidates = USER_EVENTS.filter((t) => mayAttempt(actor, t, a));
  return allowedEvents(assignmentMachine, a.snapshot, candidates, (t) => sampleEvent(t, ctx, actor));
}
