/**
 * Issue 15, "every page flat": the reads behind the dashboard, the queue, "my work" of each role,
 * the lists in every sort (first and later pages by cursor), approvals, both registers, the
 * document register, the outbox, the assignment page's timeline and the start-up digest check
 * read the large tables through an index. A few thousand cloned assignments (ten history rows and
 * two deadlines each) are enough for the planner to tell; each query is captured as the real code
 * sends it (Drizzle's query logger) and explained (EXPLAIN (FORMAT JSON)): no Seq Scan of
 * assignments, history or deadlines. Runs on PGlite and on PostgreSQL alike.
 */
import { expect } from "chai";
import { recordStatements, type SentStatement } from "../support/statements.js";
import { createWorld, type World } from "../support/testApp.js";
import { placeOrder, send } from "../support/flows.js";
import { actorFromUser } from "../../server/queries/findActor.js";
import { listAssignments, type ListFilters } from "../../server/queries/listAssignments.js";
import { listApprovals } from "../../server/queries/listApprovals.js";
import { listRegisters } from "../../server/queries/listRegisters.js";
import { listDocuments } from "../../server/queries/listDocuments.js";
import { listOutbox } from "../../server/queries/listOutbox.js";
import { loadAssignmentDetail } from "../../server/queries/loadAssignmentDetail.js";
import { statesWaitingOn } from "../../server/policies/pagePolicy.js";
import { armDigest } from "../../server/digest/digestTimer.js";
import { loadNotifications } from "../../server/queries/loadNotifications.js";
import { loadDashboardFigures } from "../../server/queries/loadDashboardFigures.js";
import { activityRows } from "../../server/documents/activityReportModel.js";
import { activityPlanSection } from "../../server/documents/planData.js";
import { loadNationalView } from "../../server/queries/loadNationalView.js";
import type { Role } from "../../server/runtime/actor.js";

const LARGE = ["assignments", "history", "deadlines"];
const N = 3000;
const STATES = [
  "ordered",
  "screening",
  "screening.proposedAccept",
  "underReview",
  "planning",
  "consolidation",
  "closed",
];

/**
 * Copies assignment `id` n times (states, titles, dates varied), with ten history rows and two
 * deadlines each. The copies are inert for the other tests sharing the database: their history is
 * filed under another workflow id (no version clash if an event ever reached one), their deadlines
 * fall due in a hundred years, and `after` cancels them.
 */
async function clone(w: World, id: string, n: number) {
  await w.database.query(
    `with s as (select gen_random_uuid()::text as id, i from generate_series(1, $2::int) i),
    ins as (
      insert into assignments (id, organization_id, code, type, forms, subject_kind, title, origin, state,
        machine_version, snapshot, version, search_text, created_by, created_at, updated_at)
      select s.id, t.organization_id, 'PL-' || s.i, t.type, t.forms, t.subject_kind,
        (array['Đề án', 'Dự án', 'Kế hoạch', 'Ý kiến'])[1 + s.i % 4] || ' số ' || s.i, t.origin,
        ($3::text[])[1 + s.i % cardinality($3::text[])], t.machine_version, t.snapshot, t.version,
        t.search_text || ' ' || s.i, t.created_by, t.created_at - s.i * interval '1 hour',
        t.updated_at - s.i * interval '1 minute'
      from s, assignments t where t.id = $1 returning id, organization_id, created_at),
    h as (
      insert into history (organization_id, assignment_id, workflow, workflow_id, version, actor_name,
        event_type, payload, from_state, to_state, created_at)
      select ins.organization_id, ins.id, 'assignment', ins.id || '-copy', g, 'Thư ký', 'order.register', '{}'::jsonb,
        'ordered', 'screening', ins.created_at + g * interval '1 minute'
      from ins cross join generate_series(1, 10) g returning 1)
    insert into deadlines (id, organization_id, assignment_id, workflow, workflow_id, key, due_at, event, status)
    select gen_random_uuid()::text, ins.organization_id, ins.id, 'assignment', ins.id, k.key,
      ins.created_at + interval '100 years' + k.n * interval '1 day', '{"type":"deadline.reached"}'::jsonb,
      k.status
    from ins cross join (values ('screening', 0, 'pending'), ('old', 1, 'fired')) k(key, n, status)`,
    [id, n, STATES],
  );
  for (const t of LARGE) await w.database.query(`analyze ${t}`);
}

type Captured = SentStatement;

/** Every statement `fn` sends through `w.db`. */
const capture = async (w: World, fn: () => Promise<unknown>): Promise<Captured[]> =>
  (await recordStatements(w.db, fn)).sent;

type PlanNode = { "Node Type": string; "Relation Name"?: string; Plans?: PlanNode[] };

/** The plan nodes that read a whole large table. */
function seqScans(node: PlanNode): string[] {
  const own =
    node["Node Type"] === "Seq Scan" && LARGE.includes(node["Relation Name"] ?? "") ? [node["Relation Name"]!] : [];
  return [...own, ...(node.Plans ?? []).flatMap(seqScans)];
}

/** A plan in one line: its nodes with their relation or index (SHOW_PLANS=1 prints them). */
function summary(node: PlanNode & { "Index Name"?: string }): string {
  const own = `${node["Node Type"]}${node["Index Name"] ? ` ${node["Index Name"]}` : node["Relation Name"] ? ` ${node["Relation Name"]}` : ""}`;
  return node.Plans?.length ? `${own}(${node.Plans.map(summary).join(", ")})` : own;
}

/** Explains every captured SELECT; returns "<what>: <table>" for each sequential scan of a large table. */
async function scansOf(w: World, what: string, queries: Captured[]) {
  const found: string[] = [];
  for (const q of queries.filter((x) => /^\s*(select|with)\b/i.test(x.text))) {
    const [row] = await w.database.query<{ "QUERY PLAN": unknown }>(`explain (format json) ${q.text}`, q.params);
    const raw = row["QUERY PLAN"];
    const plan = (typeof raw === "string" ? JSON.parse(raw) : raw) as Array<{ Plan: PlanNode }>;
    if (process.env.SHOW_PLANS) console.log(what, summary(plan[0].Plan));
    for (const t of seqScans(plan[0].Plan)) found.push(`${what}: ${t} in ${q.text.slice(0, 160)}`);
  }
  return found;
}

describe("query plans on a few thousand assignments (issue 15: every page flat)", function () {
  let w: World;
  let sampleId: string;

  before(async function () {
    w = await createWorld();
    const a = await placeOrder(w, { title: "Đề án mẫu cho kế hoạch truy vấn" });
    await send(w, "clerk", a.id, { type: "order.register" });
    await send(w, "secretariat", a.id, { type: "order.proposeAccept", note: "Đúng phạm vi." });
    sampleId = a.id;
    await clone(w, a.id, N);
  });

  after(async () => {
    await w.database.query(
      "update deadlines set status = 'cancelled' where organization_id = $1 and status = 'pending'",
      [w.org.id],
    );
  });

  it("keeps next_due_at equal to the earliest pending deadline, through the trigger, as deadlines change", async () => {
    const rows = await w.database.query<{ n: number }>(
      `select count(*)::int as n from assignments a where a.organization_id = $1 and a.next_due_at is distinct from
        (select min(d.due_at) from deadlines d where d.assignment_id = a.id and d.status = 'pending'
          and d.workflow = 'assignment')`,
      [w.org.id],
    );
    expect(rows[0].n).to.equal(0);
    const [one] = await w.database.query<{ id: string }>(
      "select id from assignments where organization_id = $1 and code = 'PL-7'",
      [w.org.id],
    );
    await w.database.query("update deadlines set status = 'fired' where assignment_id = $1", [one.id]);
    const [after] = await w.database.query<{ d: unknown }>("select next_due_at as d from assignments where id = $1", [
      one.id,
    ]);
    expect(after.d).to.equal(null);
  });

  it("lists what waits on me (several states) in the one order of due date and id, page after page", async () => {
    const sec = actorFromUser(w.userFor("secretariat"));
    const now = w.clock.now();
    const mine = statesWaitingOn(sec);
    expect(mine).to.include.members(["planning", "consolidation"]);
    const expected = (
      await w.database.query<{ id: string }>(
        `select id from assignments where organization_id = $1 and state = any($2::text[]) and not confidential
          order by coalesce(next_due_at, 'infinity'::timestamptz), id limit 150`,
        [w.org.id, mine],
      )
    ).map((r) => r.id);
    expect(expected).to.have.length(150);
    const f = { waitingOn: mine, order: "due" as const, limit: 50, count: false };
    let first: Awaited<ReturnType<typeof listAssignments>> | undefined;
    const [sent] = await capture(w, async () => (first = await listAssignments(w.db, sec, now, f)));
    // Each waiting state read through its own range of the (state, due) index, never the whole due order.
    const [row] = await w.database.query<{ "QUERY PLAN": unknown }>(`explain (format json) ${sent.text}`, sent.params);
    const raw = row["QUERY PLAN"];
    const plan = (typeof raw === "string" ? JSON.parse(raw) : raw) as Array<{ Plan: PlanNode }>;
    expect(summary(plan[0].Plan)).to.contain("assignments_org_state_due_idx");
    expect(first!.rows.map((r) => r.id)).to.deep.equal(expected.slice(0, 50));
    expect(new Set(first!.rows.map((r) => r.state))).to.have.length.greaterThan(1);
    expect(first!.total).to.equal(50); // no count asked: the rows shown
    const second = await listAssignments(w.db, sec, now, { ...f, after: first!.nextCursor!, page: 2 });
    expect(second.rows.map((r) => r.id)).to.deep.equal(expected.slice(50, 100));
    const third = await listAssignments(w.db, sec, now, { ...f, page: 3 });
    expect(third.rows.map((r) => r.id)).to.deep.equal(expected.slice(100, 150));
    const back = await listAssignments(w.db, sec, now, { ...f, before: second.prevCursor! });
    expect(back.rows.map((r) => r.id)).to.deep.equal(expected.slice(0, 50));
  });

  it("reads every list, register and page through indexes: no sequential scan of assignments, history or deadlines", async () => {
    const now = w.clock.now();
    const actor = (role: Role | "expert0") => actorFromUser(w.userFor(role));
    const found: string[] = [];
    let explained = 0;
    const check = async (what: string, fn: () => Promise<unknown>) => {
      const queries = await capture(w, fn);
      explained += queries.length;
      found.push(...(await scansOf(w, what, queries)));
    };
    // The check itself sees a scan where there is one (a title searched anywhere has no index).
    const control = { text: "select id from assignments where title like $1", params: ["%số 12%"] };
    expect(await scansOf(w, "control", [control])).to.have.length(1);
    // The dashboard's "my work" for each role, the queue, and the list in every sort, first and second page.
    for (const role of ["secretariat", "clerk", "leadership", "agency"] as Role[]) {
      const mine = statesWaitingOn(actor(role));
      if (mine.length)
        await check(`dashboard ${role}`, () =>
          listAssignments(w.db, actor(role), now, { waitingOn: mine, order: "due", limit: 50 }),
        );
    }
    const sec = actor("secretariat");
    for (const sort of ["updated", "due", "received", "title", "step"] as const) {
      for (const f of [{}, { state: "screening" }] as ListFilters[]) {
        const first = await listAssignments(w.db, sec, now, { ...f, sort, limit: 20 });
        expect(first.nextCursor, sort).to.be.a("string");
        await check(`list ${sort} ${JSON.stringify(f)}`, () =>
          listAssignments(w.db, sec, now, { ...f, sort, limit: 20 }),
        );
        await check(`list ${sort} next`, () =>
          listAssignments(w.db, sec, now, { ...f, sort, limit: 20, after: first.nextCursor!, page: 2 }),
        );
      }
    }
    await check("queue overdue", () => listAssignments(w.db, sec, now, { order: "due", overdue: true, limit: 20 }));
    await check("approvals", () => listApprovals(w.db, actor("leadership")));
    const year = Number(now.toISOString().slice(0, 4));
    const registers = await listRegisters(w.db, actor("clerk"), year);
    await check("registers", () => listRegisters(w.db, actor("clerk"), year));
    await check("registers next", () =>
      listRegisters(w.db, actor("clerk"), year, { incoming: registers.nextIncoming }),
    );
    await check("documents register", () => listDocuments(w.db, sec));
    await check("outbox", () => listOutbox(w.db, sec));
    await check("assignment page", () => loadAssignmentDetail(w.db, sec, sampleId, now, { limit: 30 }));
    await check("digest check", () => armDigest(w.db, w.org.id, now));
    // The header's notifications, read before every signed-in page.
    for (const role of ["secretariat", "clerk", "leadership", "agency", "expert0"] as Array<Role | "expert0">)
      await check(`notifications ${role}`, () => loadNotifications(w.db, actor(role), { now }));
    // The dashboard's charts (issue 15 §2): roll-ups, and the secretariat's granted confidential ones.
    for (const role of ["clerk", "secretariat"] as Role[])
      await check(`dashboard charts ${role}`, () => loadDashboardFigures(w.db, actor(role), now));
    // The adoption chart reads the answers' roll-up (answer_counts), not every answer of the Union.
    const charts = await capture(w, () => loadDashboardFigures(w.db, actor("clerk"), now));
    expect(charts.map((q) => q.text).filter((t) => /recommendation_responses/.test(t))).to.deep.equal([]);
    // The activity report's rows: the period's assignments only (a week of the clones' 3,000 hours).
    const week = { from: "2026-02-20", to: "2026-02-27", label: "tuần thử", kind: "quarterly" as const };
    await check("activity report rows", () => activityRows(w.db, w.org.id, week));
    await check("activity report plan", () => activityPlanSection(w.db, w.org.id, week));
    // The national view (issue 15 §1): roll-ups and the stage durations recorded by the history trigger.
    const operator = { kind: "operator" as const, id: "op", name: "Vận hành", email: "op@tvpb.test" };
    await check("national view", () => loadNationalView(w.db, operator));
    // The dashboard's stage days for a reader who sees only some assignments (their stays one by one).
    await check("dashboard charts agency", () => loadDashboardFigures(w.db, actor("agency"), now));
    expect(explained).to.be.greaterThan(40);
    expect(found).to.deep.equal([]);
  });
});
