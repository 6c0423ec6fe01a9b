/**
 * An order takes its number (`TVPB-<year>-NNN`, register ASSIGNMENT) as its transaction's last write
 * (docs/BENCHMARKS.md, "The load's tail and the event path's p99, eighth session"): the row answered
 * and the row stored carry the final code and search text, never the provisional one, and an order
 * whose transaction fails gives its number back, so the register stays gap-free.
 */
import { expect } from "chai";
import { eq } from "drizzle-orm";
import { assignments } from "../../server/db/schema.js";
import { createOrder, createOrderInTx, type OrderInput } from "../../server/commands/createOrder.js";
import { actorFromUser } from "../../server/queries/findActor.js";
import { createWorld } from "../support/testApp.js";

const order: OrderInput = {
  type: "critique",
  forms: ["written"],
  subjectKind: "scheme",
  title: "Đề án phát triển Đô thị",
};

describe("an order's number, taken last", () => {
  it("answers and stores the final code, and a failed order gives its number back", async () => {
    const w = await createWorld();
    const deps = { db: w.db, clock: w.clock };
    const actor = actorFromUser(w.userFor("secretariat"));
    const numberOf = (code: string) => Number(/^TVPB-\d{4}-(\d{3,})$/.exec(code)?.[1]);

    const first = await createOrder(deps, { actor, input: { ...order } });
    const [stored] = await w.db.select().from(assignments).where(eq(assignments.id, first.id));
    expect(stored.code, "the stored code").to.equal(first.code);
    expect(numberOf(first.code), first.code).to.be.greaterThan(0);
    expect(stored.searchText, "searched by its code and folded words").to.equal(
      `${first.code.toLowerCase()} de an phat trien do thi`,
    );

    // The whole order is written, numbered last, then its transaction fails: nothing stays.
    const failed = new Error("after the order");
    let inside = "";
    await w.db
      .transaction(async (tx) => {
        inside = (await createOrderInTx(tx, deps, actor, { ...order, origin: "self_initiated", agencyId: null }, true))
          .code;
        throw failed;
      })
      .catch((err: unknown) => {
        if (err !== failed) throw err;
      });
    expect(numberOf(inside), "numbered inside the transaction").to.equal(numberOf(first.code) + 1);

    const next = await createOrder(deps, { actor, input: { ...order } });
    expect(numberOf(next.code), "the failed order's number is taken again").to.equal(numberOf(first.code) + 1);
    const codes = await w.db
      .select({ code: assignments.code })
      .from(assignments)
      .where(eq(assignments.organizationId, w.org.id));
    expect(codes.map((c) => c.code).sort(), "no provisional code left").to.deep.equal([first.code, next.code].sort());
  });
});
