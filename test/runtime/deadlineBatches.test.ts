import { expect } from "chai";
import { sql } from "drizzle-orm";
import { createWorld, type World } from "../support/testApp.js";
import { placeOrder, send } from "../support/flows.js";
import { dbKind } from "../support/db.js";
import { createDeadlineWorker } from "../../server/runtime/deadlineWorker.js";

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** `n` registered orders, each with its screening deadline pending. */
async function registered(w: World, n: number) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const a = await placeOrder(w, { title: `Đề án số ${i + 1} về phát triển nông nghiệp` });
    await send(w, "clerk", a.id, { type: "order.register" });
    ids.push(a.id);
  }
  return ids;
}

async function deadlineRows(w: World, ids: string[]) {
  return w.database.query<{ assignment_id: string; key: string; status: string }>(
    "select assignment_id, key, status from deadlines where assignment_id = any($1::text[]) and key = 'screening'",
    [ids],
  );
}

async function reached(w: World, ids: string[]) {
  const rows = await w.database.query<{ assignment_id: string; n: number }>(
    "select assignment_id, count(*)::int as n from history where assignment_id = any($1::text[]) and event_type " +
      "= 'deadline.reached' group by assignment_id",
    [ids],
  );
  return Object.fromEntries(rows.map((r) => [r.assignment_id, r.n]));
}

describe("the deadline worker, claiming deadlines in batches", () => {
  it(
    "fires every due deadline exactly once when two workers with several lanes claim small batches at the same " +
      "time",
    async () => {
      const w = await createWorld();
      const ids = await registered(w, 12);
      w.clock.set("2026-04-01T02:00:00Z");
      const workers = [0, 1].map(() =>
        createDeadlineWorker({
          db: w.db,
          organizations: () => [w.org.id],
          clock: w.clock,
          logger: silent,
          concurrency: 3,
          claimSize: 2,
          batchSize: 10,
        }),
      );
      await Promise.all(workers.map((x) => x.drain()));
      expect((await deadlineRows(w, ids)).map((r) => r.status)).to.deep.equal(ids.map(() => "fired"));
      expect(await reached(w, ids)).to.deep.equal(Object.fromEntries(ids.map((id) => [id, 1])));
    },
  );

  it("marks a deadline its workflow refuses as ignored and still fires the others claimed with it", async () => {
    const w = await createWorld();
    const ids = await registered(w, 3);
    // A stray timer whose event the assignment no longer accepts in screening.
    await w.database.query(
      `insert into deadlines (id, organization_id, assignment_id, workflow, workflow_id, key, due_at, event, status)
      values (gen_random_uuid()::text, $1, $2, 'assignment', $2, 'stray', '2026-03-01T00:00:00Z',
        '{"type":"order.accept"}'::jsonb, 'pending')`,
      [w.org.id, ids[1]],
    );
    w.clock.set("2026-04-01T02:00:00Z");
    await createDeadlineWorker({
      db: w.db,
      organizations: () => [w.org.id],
      clock: w.clock,
      logger: silent,
      claimSize: 10,
    }).drain();
    const [stray] = await w.database.query<{ status: string }>(
      "select status from deadlines where assignment_id = $1 and key = 'stray'",
      [ids[1]],
    );
    expect(stray.status).to.equal("ignored");
    expect((await deadlineRows(w, ids)).map((r) => r.status)).to.deep.equal(["fired", "fired", "fired"]);
    expect(await reached(w, ids)).to.deep.equal(Object.fromEntries(ids.map((id) => [id, 1])));
  });

  it(
    "saves a batch's mail-only transitions together: one version and history row each, in order for an " +
      "assignment due twice, their mail queued, next_due_at as the trigger computes it",
    async () => {
      const w = await createWorld();
      const ids = await registered(w, 3);
      const versions = await w.database.query<{ id: string; version: number }>(
        "select id, version from assignments where id = any($1::text[])",
        [ids],
      );
      // ids[0]: a second due deadline in the same batch (due after its screening one, so fired after it);
      // ids[1]: one due later, which stays pending.
      const extra = (id: string, key: string, due: string) =>
        w.database.query(
          `insert into deadlines (id, organization_id, assignment_id, workflow, workflow_id, key, due_at, event, status)
          values (gen_random_uuid()::text, $1, $2, 'assignment', $2, $3, $4::timestamptz,
            jsonb_build_object('type', 'deadline.reached', 'key', $3::text), 'pending')`,
          [w.org.id, id, key, due],
        );
      await extra(ids[0], "screening.second", "2026-03-31T23:00:00Z");
      await extra(ids[1], "screening.later", "2027-01-01T00:00:00Z");
      w.clock.set("2026-04-01T02:00:00Z");
      const logged: string[] = [];
      await createDeadlineWorker({
        db: w.db,
        organizations: () => [w.org.id],
        clock: w.clock,
        logger: { ...silent, info: (o: object) => void logged.push((o as { event?: string }).event ?? "") },
        claimSize: 50,
      }).drain();
      expect(logged, "fired the fast way, no careful retry").to.not.include("deadline.batch.retry");
      expect(await reached(w, ids)).to.deep.equal({ [ids[0]]: 2, [ids[1]]: 1, [ids[2]]: 1 });
      const after = await w.database.query<{
        id: string;
        version: number;
        due: string | null;
        expected: string | null;
      }>(
        `select a.id, a.version, a.next_due_at::text as due, (select min(d.due_at) from deadlines d where
          d.assignment_id = a.id and d.status = 'pending' and d.workflow = 'assignment')::text as expected
        from assignments a where a.id = any($1::text[])`,
        [ids],
      );
      for (const a of after) {
        const before = versions.find((v) => v.id === a.id)!.version;
        expect(a.version, a.id).to.equal(before + (a.id === ids[0] ? 2 : 1));
        expect(a.due, `${a.id} next_due_at`).to.equal(a.expected);
      }
      expect(after.find((a) => a.id === ids[1])!.due, "the later deadline").to.match(/^2027-01-01/);
      const history = await w.database.query<{ version: number; key: string }>(
        `select version, payload->>'key' as key from history where workflow_id = $1 and event_type = 'deadline.reached'
        order by version`,
        [ids[0]],
      );
      const first = versions.find((v) => v.id === ids[0])!.version;
      expect(history).to.deep.equal([
        { version: first + 1, key: "screening" },
        { version: first + 2, key: "screening.second" },
      ]);
      const mails = await w.database.query<{ assignment_id: string; n: number }>(
        `select assignment_id, count(*)::int as n from effects where assignment_id = any($1::text[])
          and payload->>'event' = 'deadline.reached' group by 1`,
        [ids],
      );
      expect(Object.fromEntries(mails.map((m) => [m.assignment_id, m.n]))).to.deep.equal({
        [ids[0]]: 2,
        [ids[1]]: 1,
        [ids[2]]: 1,
      });
    },
  );

  it(
    "leaves a deadline whose assignment changed under it pending and fires it once the change is committed " +
      "(PostgreSQL)",
    async function () {
      if (dbKind() !== "postgres") return this.skip(); // needs a second connection holding a row lock
      const w = await createWorld();
      const [id] = await registered(w, 1);
      const [{ version }] = await w.database.query<{ version: number }>(
        "select version from assignments where id = $1",
        [id],
      );
      w.clock.set("2026-04-01T02:00:00Z");
      // Another writer bumps the version and holds its lock while the worker reads and tries to save.
      let commit!: () => void;
      const held = new Promise<void>((r) => (commit = r));
      let locked!: () => void;
      const isLocked = new Promise<void>((r) => (locked = r));
      const other = w.db.transaction(async (tx) => {
        await tx.execute(sql`update assignments set version = version + 1 where id = ${id}`);
        locked();
        await held;
      });
      await isLocked;
      const worker = createDeadlineWorker({
        db: w.db,
        organizations: () => [w.org.id],
        clock: w.clock,
        logger: silent,
        claimSize: 5,
      });
      const firing = worker.drain();
      await new Promise((r) => setTimeout(r, 300));
      commit();
      await other;
      await firing;
      expect((await deadlineRows(w, [id])).map((r) => r.status)).to.deep.equal(["fired"]);
      expect(await reached(w, [id])).to.deep.equal({ [id]: 1 });
      const [after] = await w.database.query<{ version: number }>("select version from assignments where id = $1", [
        id,
      ]);
      expect(after.version).to.equal(version + 2);
    },
  );
});

describe("workers limited to some organisations", () => {
  it("fire only those organisations' deadlines and perform only their effects; the others wait for theirs", async () => {
    const [mine, theirs] = [await createWorld(), await createWorld()];
    const [a] = await registered(mine, 1);
    const [b] = await registered(theirs, 1);
    const pendingEffects = async (w: World) =>
      (
        await w.database.query<{ n: number }>(
          "select count(*)::int as n from effects where organization_id = $1 and status = 'pending'",
          [w.org.id],
        )
      )[0].n;
    expect(await pendingEffects(theirs), "registering queued mail").to.be.above(0);
    for (const w of [mine, theirs]) w.clock.set("2026-04-01T02:00:00Z");
    await mine.settled();
    expect((await deadlineRows(mine, [a]))[0].status).to.equal("fired");
    expect(await pendingEffects(mine)).to.equal(0);
    expect((await deadlineRows(theirs, [b]))[0].status).to.equal("pending");
    expect(await pendingEffects(theirs)).to.be.above(0);
    await theirs.settled();
    expect((await deadlineRows(theirs, [b]))[0].status).to.equal("fired");
    expect(await pendingEffects(theirs)).to.equal(0);
  });
});
