/**
 * Issue 15, the dashboard's charts flat: the roll-ups `assignment_counts` and `deadline_outcomes`,
 * kept by triggers, equal a COUNT over their tables after a mixed set of events (orders, steps,
 * a confidential order, deadlines fired and cancelled, a bulk update, a delete), in each of two
 * organisations; and the dashboard's figures read from them equal the same figures counted over
 * the assignments each role may see. Runs on PGlite and on PostgreSQL alike.
 */
import { expect } from "chai";
import { sql } from "drizzle-orm";
import { rowsOf } from "../../server/db/connect.js";
import { createWorld, type World } from "../support/testApp.js";
import { placeOrder, send, toPlanning } from "../support/flows.js";
import { actorFromUser } from "../../server/queries/findActor.js";
import { loadDashboardFigures } from "../../server/queries/loadDashboardFigures.js";
import { visibleTo } from "../../server/policies/assignmentPolicy.js";
import { assignments } from "../../server/db/schema.js";
import { stageOf } from "../../server/runtime/stateValue.js";
import type { Role } from "../../server/runtime/actor.js";

const MONTH = `to_char(created_at at time zone 'Asia/Ho_Chi_Minh', 'YYYY-MM')`;

/** The rows of `counted` (the roll-up, zeros left out) and of `live` (a COUNT over the table), sorted. */
async function both(w: World, counted: string, live: string) {
  const q = async (text: string) =>
    (await w.database.query<Record<string, unknown>>(text, [w.org.id])).map((r) => JSON.stringify(r)).sort();
  return { counted: await q(counted), live: await q(live) };
}

async function countsMatch(w: World) {
  const a = await both(
    w,
    // Summed over the slots: each connection adds to its own row (migration lock9_rollup_slots).
    `select confidential, state, type, month, sum(n)::int as n from assignment_counts where organization_id = $1
      group by 1, 2, 3, 4 having sum(n) <> 0`,
    `select confidential, state, type, ${MONTH} as month, count(*)::int as n from assignments
      where organization_id = $1 group by 1, 2, 3, 4`,
  );
  expect(a.counted, "assignment_counts").to.deep.equal(a.live);
  const d = await both(
    w,
    `select key, status, sum(n)::int as n from deadline_outcomes where organization_id = $1
      group by 1, 2 having sum(n) <> 0`,
    `select key, status, count(*)::int as n from deadlines where organization_id = $1 and workflow = 'assignment'
      and status in ('fired', 'cancelled') and key not like '%#%' group by 1, 2`,
  );
  expect(d.counted, "deadline_outcomes").to.deep.equal(d.live);
  return { assignments: a.live.length, deadlines: d.live.length };
}

/** A mixed set of events in `w`: orders in several steps, a confidential one named to the secretariat, a copy. */
async function mixedEvents(w: World) {
  const a = await placeOrder(w, { title: "Đề án thứ nhất" });
  const b = await placeOrder(w, { title: "Dự án thứ hai" });
  const secret = await placeOrder(w, { confidential: true, title: "Đề án mật" });
  const hidden = await placeOrder(w, { confidential: true, title: "Đề án mật khác" });
  await placeOrder(w, { title: "Kế hoạch thứ ba", type: "assessment" });
  await toPlanning(w, a.id);
  await send(w, "clerk", b.id, { type: "order.register" });
  const named = await w.as("leadership").post(`/api/v1/assignments/${secret.id}/staff`, {
    add: [w.userFor("secretariat").id],
  });
  expect(named.status).to.equal(200);
  await toPlanning(w, secret.id);
  await send(w, "clerk", hidden.id, { type: "order.register" });
  // The deadline worker fires some deadlines, events cancel others; and a bulk SQL write.
  await w.database.query(
    `update deadlines set status = 'fired', fired_at = now() where id = (select id from deadlines
      where organization_id = $1 and status = 'pending' and workflow = 'assignment' order by id limit 1)`,
    [w.org.id],
  );
  await w.database.query(
    `update assignments set created_at = created_at - interval '40 days' where organization_id = $1 and code <> $2`,
    [w.org.id, a.code],
  );
  // A copy inserted and deleted by SQL (no history), and a deadline deleted.
  await w.database.query(
    `insert into assignments (id, organization_id, code, type, forms, subject_kind, title, origin, state,
       machine_version, snapshot, version, search_text)
     select gen_random_uuid()::text, organization_id, code || '-x', type, forms, subject_kind, title, origin,
       'closed', machine_version, snapshot, version, search_text from assignments where id = $1`,
    [b.id],
  );
  await w.database.query(`delete from assignments where organization_id = $1 and code like '%-x'`, [w.org.id]);
  await w.database.query(
    `delete from deadlines where id = (select id from deadlines where organization_id = $1
    and status = 'cancelled' and workflow = 'assignment' order by id limit 1)`,
    [w.org.id],
  );
}

/** The figures counted over the assignments the actor sees (what the roll-up replaces). */
async function liveFigures(w: World, role: Role, from: string) {
  const vis = visibleTo(actorFromUser(w.userFor(role)));
  const rows = rowsOf<{ state: string; type: string; month: string }>(
    await w.db.execute(sql`select ${assignments.state} as state, ${assignments.type} as type,
      to_char(${assignments.createdAt} at time zone 'Asia/Ho_Chi_Minh', 'YYYY-MM') as month
      from ${assignments} where ${vis}`),
  );
  const tally = (keys: string[]) => keys.reduce<Record<string, number>>((a, k) => ({ ...a, [k]: (a[k] ?? 0) + 1 }), {});
  return {
    byStage: tally(rows.map((r) => stageOf(r.state))),
    byType: tally(rows.map((r) => r.type)),
    byMonth: tally(rows.map((r) => r.month).filter((m) => m >= from)),
  };
}

describe("dashboard roll-ups (issue 15: the charts flat)", () => {
  let w: World;
  let other: World;

  before(async () => {
    w = await createWorld();
    other = await createWorld();
    await mixedEvents(w);
    await placeOrder(other, { title: "Đề án của Liên hiệp khác" });
  });

  it("equal a COUNT over assignments and deadlines after a mixed set of events, per organisation", async () => {
    const seen = await countsMatch(w);
    expect(seen.assignments, "several counters").to.be.greaterThan(3);
    expect(seen.deadlines, "fired and cancelled deadlines").to.be.greaterThan(1);
    await countsMatch(other);
  });

  it("give each role the same chart figures as counting the assignments it may see", async () => {
    const now = w.clock.now();
    for (const role of ["clerk", "leadership", "secretariat", "admin"] as Role[]) {
      const f = await loadDashboardFigures(w.db, actorFromUser(w.userFor(role)), now);
      const live = await liveFigures(w, role, "2025-03"); // 12 months before the world's clock (2026-03)
      expect(f.byStage, role).to.deep.equal(live.byStage);
      expect(Object.fromEntries(f.byType.map((x) => [x.type, x.n])), role).to.deep.equal(live.byType);
      expect(Object.fromEntries(f.byMonth.map((x) => [x.month, x.n])), role).to.deep.equal(live.byMonth);
    }
    const sec = await loadDashboardFigures(w.db, actorFromUser(w.userFor("secretariat")), now);
    const clerk = await loadDashboardFigures(w.db, actorFromUser(w.userFor("clerk")), now);
    const total = (f: typeof sec) => Object.values(f.byStage).reduce((a, n) => a + n, 0);
    expect(total(clerk), "the clerk sees both confidential orders").to.equal(5);
    expect(total(sec), "the secretariat the one it is named on").to.equal(4);
    expect(clerk.onTime.reduce((a, x) => a + x.total, 0)).to.be.greaterThan(0);
  });

  it("counts a stay in the stage-days figure as soon as its stage ends (stage durations recorded)", async () => {
    const clerk = actorFromUser(w.userFor("clerk"));
    const first = await loadDashboardFigures(w.db, clerk, w.clock.now());
    const b = await placeOrder(w, { title: "Đề án đổi bước" });
    w.clock.advance(86_400_000);
    await send(w, "clerk", b.id, { type: "order.register" });
    const after = await loadDashboardFigures(w.db, clerk, w.clock.now());
    const stays = (f: typeof first) => Object.values(f.stageDays).reduce((a, x) => a + x.stays, 0);
    expect(stays(after), "the new stay counted").to.equal(stays(first) + 1);
  });
});
