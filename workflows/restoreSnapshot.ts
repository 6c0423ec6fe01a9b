/**
 * Restores a persisted snapshot (JSON from the database) into a snapshot `transition()` accepts.
 * `machine.resolveState()` alone leaves deep-history entries as plain `{ id }` objects, and a
 * resume through history then fails; this revives them into the machine's state nodes.
 */
import type { AnyStateMachine, SnapshotFrom } from "xstate";

export function restoreSnapshot<M extends AnyStateMachine>(machine: M, json: unknown): SnapshotFrom<M> {
  const persisted = json as { historyValue?: Record<string, Array<{ id: string }>> };
  const historyValue: Record<string, unknown[]> = {};
  for (const [key, entries] of Object.entries(persisted.historyValue ?? {})) {
    historyValue[key] = entries.map((e) => machine.getStateNodeById(e.id));
  }
  return machine.resolveState({ ...(json as object), historyValue } as never) as SnapshotFrom<M>;
}
