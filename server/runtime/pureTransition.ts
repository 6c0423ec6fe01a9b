/**
 * XState's pure `transition()`, without building an actor per call. xstate's own helper creates an
 * inert actor scope on every call — an Actor whose constructor computes the machine's initial
 * snapshot, then a system — only to collect the actions: about a tenth of the memory an event over
 * HTTP allocates (docs/BENCHMARKS.md, "The event path, third pass"). TVPB's machines have no
 * `invoke`, no `spawn` and no `after` (workflows/README.md), so nothing registers in the scope's
 * system and one scope per machine serves every call; only the action collector is per call, set
 * and reset around the synchronous `logic.transition`.
 */
import {
  createActor,
  type AnyActorLogic,
  type EventFromLogic,
  type ExecutableActionsFrom,
  type SnapshotFrom,
} from "xstate";

type Scope = Parameters<AnyActorLogic["transition"]>[2];
const scopes = new WeakMap<AnyActorLogic, Scope>();
const ignore = () => {};

function scopeOf(logic: AnyActorLogic): Scope {
  let scope = scopes.get(logic);
  if (!scope) {
    const self = createActor(logic);
    // The same fields as xstate's createInertActorScope: nothing is logged, emitted or deferred.
    scope = {
      self,
      defer: ignore,
      id: "",
      logger: ignore,
      sessionId: "",
      stopChild: ignore,
      system: self.system,
      emit: ignore,
      actionExecutor: ignore,
    } as unknown as Scope;
    scopes.set(logic, scope);
  }
  return scope;
}

/** The next snapshot and the actions to execute, as xstate's `transition(logic, snapshot, event)`. */
export function transition<T extends AnyActorLogic>(
  logic: T,
  snapshot: SnapshotFrom<T>,
  event: EventFromLogic<T>,
): [nextSnapshot: SnapshotFrom<T>, actions: ExecutableActionsFrom<T>[]] {
  const scope = scopeOf(logic);
  const actions: ExecutableActionsFrom<T>[] = [];
  scope.actionExecutor = (action) => void actions.push(action as ExecutableActionsFrom<T>);
  try {
    return [logic.transition(snapshot, event, scope) as SnapshotFrom<T>, actions];
  } finally {
    scope.actionExecutor = ignore;
  }
}
