/**
 * The events an actor may send to an assignment now: the `can` list of the detail and of an
 * event's answer. Roles first, then the machine's guards on the declarations' probe payloads
 * (see server/commands/events).
 */
import type { Actor } from "../runtime/actor.js";
import type { AssignmentRow } from "../runtime/applyEvent.js";
import { allowedEventsFor as allowedByPolicy } from "../policies/assignmentPolicy.js";

/** The event types this actor may send to the assignment in its current state. */
export function allowedEventsFor(a: Pick<AssignmentRow, "state" | "snapshot" | "agencyId">, actor: Actor): string[] {
  return allowedByPolicy(actor, a);
}
