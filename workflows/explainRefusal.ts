/**
 * Why a machine snapshot refuses an event. XState's public API answers "would this event be
 * accepted now?" (`snapshot.can(event)`) and lists the transitions of the active states
 * (`getNextTransitions`); it has no call that says which guard refused. This is the one place that
 * reads a machine's guard implementations to find out; test/workflows/explainRefusal.test.ts fails
 * loudly if an XState upgrade changes what it relies on.
 */
import { getNextTransitions, type AnyMachineSnapshot, type AnyStateMachine } from "xstate";

/** `handled: false`: no active state has a transition for the event (wrong step). */
export type Refusal = { handled: false } | { handled: true; guard: string | undefined };

type GuardRef = string | { type?: string; params?: unknown } | ((...args: never[]) => boolean) | undefined;
type GuardImpl = (args: { context: unknown; event: unknown }, params: unknown) => boolean;

/**
 * Explains why `snapshot` refuses `event`: whether any active state handles it at all and, if so,
 * the name of the first named guard that is false for it (undefined when only anonymous guards
 * refuse, or when nothing refuses).
 */
export function explainRefusal(
  machine: AnyStateMachine,
  snapshot: AnyMachineSnapshot,
  event: { type: string },
): Refusal {
  const candidates = getNextTransitions(snapshot).filter((t) => t.eventType === event.type);
  if (!candidates.length) return { handled: false };
  const guards = (machine.implementations.guards ?? {}) as Record<string, GuardImpl>;
  for (const t of candidates) {
    for (const ref of namedGuards(t.guard as GuardRef)) {
      const name = typeof ref === "string" ? ref : ref.type;
      const params = typeof ref === "string" ? undefined : ref.params;
      const impl = name ? guards[name] : undefined;
      if (name && impl && !impl({ context: snapshot.context, event }, params)) return { handled: true, guard: name };
    }
  }
  return { handled: true, guard: undefined };
}

/**
 * The named guards of a transition, in order: its own, or those of an `and([...])` (XState keeps
 * them on the function as `guards`), so a refusal names the first of them that failed.
 */
function namedGuards(ref: GuardRef): Array<string | { type?: string; params?: unknown }> {
  if (!ref) return [];
  if (typeof ref !== "function") return [ref];
  const combined = ref as unknown as { name?: string; guards?: GuardRef[] };
  if (combined.name !== "and" || !Array.isArray(combined.guards)) return [];
  return combined.guards.flatMap((g) => namedGuards(g));
}
