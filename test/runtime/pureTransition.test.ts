/**
 * server/runtime/pureTransition.ts: the same next snapshot and the same actions as xstate's own
 * `transition()` (which builds an actor per call), along the first steps of an assignment, and no
 * action of one call left in the next.
 */
import { expect } from "chai";
import { initialTransition, transition as xstateTransition } from "xstate";
import { assignmentMachine, type AssignmentEvent } from "../../workflows/assignment/assignmentMachine.js";
import { transition } from "../../server/runtime/pureTransition.js";
import { assignmentInput } from "../support/machines.js";

const m = assignmentMachine;
const steps: AssignmentEvent[] = [
  { type: "order.register", note: "Công văn số 112/UBND-KT ngày 05/01/2026" },
  { type: "order.proposeAccept", note: "Đúng phạm vi, hồ sơ đầy đủ" },
  { type: "order.accept" },
  { type: "assignment.hold", reason: "Cơ quan đặt hàng đề nghị tạm dừng để chỉnh sửa dự thảo" },
];

const shape = (actions: ReturnType<typeof transition<typeof m>>[1]) =>
  actions.map((a) => JSON.stringify({ type: a.type, params: a.params }));

describe("the pure transition without an actor per call", () => {
  it("gives xstate's next snapshot and actions, step by step, and keeps no action between calls", () => {
    let [snap] = initialTransition(m, assignmentInput());
    let seen = 0;
    for (const event of steps) {
      const [theirs, theirActions] = xstateTransition(m, snap, event);
      const [ours, ourActions] = transition(m, snap, event);
      const [again, againActions] = transition(m, snap, event);
      expect(m.getPersistedSnapshot(ours), event.type).to.deep.equal(m.getPersistedSnapshot(theirs));
      expect(shape(ourActions), event.type).to.deep.equal(shape(theirActions));
      expect(shape(againActions), `${event.type}, second call`).to.deep.equal(shape(theirActions));
      expect(m.getPersistedSnapshot(again)).to.deep.equal(m.getPersistedSnapshot(theirs));
      seen += ourActions.length;
      snap = theirs;
    }
    expect(seen, "the steps ask for something (mail, deadlines)").to.be.greaterThan(0);
  });
});
