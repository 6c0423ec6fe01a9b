/**
 * An event reads only the columns it uses of its assignment (loadAssignmentForEvent): the same
 * values as the whole row's read, the same visibility, on the database (a prepared read) and in a
 * transaction (the query builder).
 */
import { expect } from "chai";
import { createWorld } from "../support/testApp.js";
import { placeOrder } from "../support/flows.js";
import { actorFromUser } from "../../server/queries/findActor.js";
import { loadAssignment, loadAssignmentForEvent } from "../../server/policies/assignmentPolicy.js";
import type { AssignmentRow } from "../../server/runtime/applyEvent.js";

const EVENT_KEYS = [
  "id",
  "organizationId",
  "code",
  "agencyId",
  "planItemId",
  "state",
  "snapshot",
  "version",
  "updatedAt",
  "machineVersion",
] as const;

describe("an event's read of its assignment", () => {
  it("gives exactly the columns an event uses, with the whole row's values, on the database and in a transaction", async () => {
    const w = await createWorld();
    const a = await placeOrder(w);
    const clerk = actorFromUser(w.userFor("clerk"));
    const whole: AssignmentRow = await loadAssignment(w.db, clerk, a.id);
    const expected = Object.fromEntries(EVENT_KEYS.map((k) => [k, whole[k]]));
    expect(expected.updatedAt).to.be.instanceOf(Date);
    expect(await loadAssignmentForEvent(w.db, clerk, a.id)).to.deep.equal(expected);
    await w.db.transaction(async (tx) => {
      expect(await loadAssignmentForEvent(tx, clerk, a.id)).to.deep.equal(expected);
    });
  });

  it("does not find an assignment the actor may not see, as the whole row's read does not", async () => {
    const w = await createWorld();
    const a = await placeOrder(w);
    const other = actorFromUser(w.userFor("otheragency"));
    for (const read of [loadAssignment, loadAssignmentForEvent]) {
      const err = await read(w.db, other, a.id).then(
        () => null,
        (e: unknown) => e as { code?: string },
      );
      expect(err?.code, read.name).to.equal("assignment_not_found");
    }
  });
});
