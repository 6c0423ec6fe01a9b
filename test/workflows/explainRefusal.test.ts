import { expect } from "chai";
import { getNextTransitions, setup, type AnyMachineSnapshot } from "xstate";
import { explainRefusal } from "../../workflows/explainRefusal.js";
import { assignmentMachine } from "../../workflows/assignment/assignmentMachine.js";
import { driveTo } from "../support/machines.js";

const tiny = setup({
  types: { context: {} as { ready: boolean }, events: {} as { type: "GO" } | { type: "PING" } | { type: "STOP" } },
  guards: { isReady: ({ context }) => context.ready },
}).createMachine({
  context: { ready: false },
  initial: "idle",
  on: { STOP: { target: ".stopped", guard: "isReady" } },
  states: {
    idle: { on: { GO: { target: "running", guard: "isReady" }, PING: { guard: ({ context }) => context.ready } } },
    running: {},
    stopped: {},
  },
});

describe("explaining a refused event (the one place that reads what XState does not publish)", () => {
  it("relies on getNextTransitions giving each transition's event type and named guard, parents included", () => {
    // If an XState upgrade changes either, this fails first and says what explainRefusal must read instead.
    const snap = tiny.resolveState({ value: "idle", context: { ready: false } }) as AnyMachineSnapshot;
    const seen = getNextTransitions(snap).map((t) => [t.eventType, typeof t.guard === "function" ? "fn" : t.guard]);
    expect(seen).to.deep.include.members([
      ["GO", "isReady"],
      ["PING", "fn"],
      ["STOP", "isReady"],
    ]);
    const guard = (tiny.implementations.guards as Record<string, (a: object, p: unknown) => boolean>).isReady;
    expect(guard({ context: { ready: true }, event: { type: "GO" } }, undefined)).to.equal(true);
    expect(guard({ context: { ready: false }, event: { type: "GO" } }, undefined)).to.equal(false);
  });

  it("tells an event no active state handles from one a named guard refuses", () => {
    const idle = tiny.resolveState({ value: "idle", context: { ready: false } }) as AnyMachineSnapshot;
    expect(explainRefusal(tiny, idle, { type: "GO" })).to.deep.equal({ handled: true, guard: "isReady" });
    expect(explainRefusal(tiny, idle, { type: "STOP" })).to.deep.equal({ handled: true, guard: "isReady" });
    expect(explainRefusal(tiny, idle, { type: "PING" })).to.deep.equal({ handled: true, guard: undefined });
    expect(explainRefusal(tiny, idle, { type: "NOPE" })).to.deep.equal({ handled: false });
    const running = tiny.resolveState({ value: "running", context: { ready: false } }) as AnyMachineSnapshot;
    expect(explainRefusal(tiny, running, { type: "GO" })).to.deep.equal({ handled: false });
  });

  it("names the assignment machine's rules, on the state and on its parents", () => {
    const ordered = driveTo("active.ordered") as AnyMachineSnapshot;
    expect(explainRefusal(assignmentMachine, ordered, { type: "order.accept" })).to.deep.equal({ handled: false });
    expect(explainRefusal(assignmentMachine, ordered, { type: "assignment.hold" })).to.deep.equal({
      handled: true,
      guard: "hasReasons",
    });
    const planning = driveTo("active.planning") as AnyMachineSnapshot;
    const plan = { type: "plan.submit", workPlan: " ", costEstimate: 1 };
    expect(explainRefusal(assignmentMachine, planning, plan)).to.deep.equal({ handled: true, guard: "planValid" });
    expect(planning.can({ ...plan, workPlan: "Kế hoạch" } as never)).to.equal(true);
  });
});
