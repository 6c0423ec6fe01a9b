/**
 * Issue 15, the mixed load's tail: two transactions that change the same roll-up count (here two
 * assignments leaving `ordered` for screening in one month) do not queue on one row lock. Each
 * connection adds to its own slot's row (migration lock9_rollup_slots), and the counts summed over
 * the slots still equal a COUNT over the table. PostgreSQL only: PGlite has a single connection.
 */
import { expect } from "chai";
import pg from "pg";
import { createWorld, type World } from "../support/testApp.js";
import { dbKind } from "../support/db.js";
import { placeOrder } from "../support/flows.js";

/** Two connections to the run's database that write different roll-up slots. */
async function twoSlots(url: string): Promise<[pg.Client, pg.Client]> {
  const open: pg.Client[] = [];
  const bySlot = new Map<number, pg.Client>();
  // Backends get nearby process ids, so a few tries find two slots (pid % 16) that differ.
  while (bySlot.size < 2 && open.length < 20) {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    open.push(c);
    const { rows } = await c.query<{ slot: number }>("select rollup_slot() as slot");
    if (!bySlot.has(rows[0].slot)) bySlot.set(rows[0].slot, c);
  }
  const chosen = [...bySlot.values()].slice(0, 2);
  await Promise.all(open.filter((c) => !chosen.includes(c)).map((c) => c.end()));
  expect(chosen, "two connections in different slots").to.have.length(2);
  return chosen as [pg.Client, pg.Client];
}

describe("roll-up slots (issue 15: the mixed load's tail)", () => {
  let w: World;

  before(async function () {
    if (dbKind() !== "postgres") return this.skip(); // needs two connections at once
    w = await createWorld();
  });

  it("let two transactions change the same count at once, and still sum to a COUNT over the table", async () => {
    const a = await placeOrder(w, { title: "Đề án thứ nhất" });
    const b = await placeOrder(w, { title: "Đề án thứ hai" });
    const [first, second] = await twoSlots(process.env.DATABASE_URL!);
    const move = "update assignments set state = 'screening.reviewing' where id = $1";
    try {
      await first.query("begin");
      await first.query(move, [a.id]);
      // With one row per count, this waited for `first` to commit: the lock timeout says so.
      await second.query("begin");
      await second.query("set local lock_timeout = '3s'");
      await second.query(move, [b.id]);
      await second.query("commit");
      await first.query("commit");
    } finally {
      await Promise.all([first.end(), second.end()]);
    }
    const counted = await w.database.query<{ state: string; n: number; slots: number }>(
      `select state, sum(n)::int as n, count(*) filter (where n <> 0)::int as slots from assignment_counts
       where organization_id = $1 group by state having sum(n) <> 0 order by state`,
      [w.org.id],
    );
    const live = await w.database.query<{ state: string; n: number }>(
      `select state, count(*)::int as n from assignments where organization_id = $1 group by state order by state`,
      [w.org.id],
    );
    expect(counted.map(({ state, n }) => ({ state, n }))).to.deep.equal(live);
    expect(counted.find((r) => r.state === "screening.reviewing")?.slots, "two slots hold the count").to.equal(2);
  });
});
