/**
 * Notifications and bulk actions (issue 14 §6) through the pages: what waits on me and what others
 * changed on my assignments, "mark seen"; reminding several late experts at once and moving work to
 * another secretariat member — with the CSRF check, the roles, and the history.
 */
import { expect } from "chai";
import { and, eq } from "drizzle-orm";
import { recordStatements } from "../../support/statements.js";
import { assignmentStaff, history } from "../../../server/db/schema.js";
import { createWorld, type World } from "../../support/testApp.js";
import { allowPageSignIn, pageAgent } from "../../support/pageAgent.js";
import { placeOrder, send, toPlanning, toReview } from "../../support/flows.js";

const headerOf = (html: string) => /<details class="notif[\s\S]*?<\/details>/.exec(html)?.[0] ?? "";

/**
 * How many statements matching `pattern` `fn` sends: by default those reading the header's "seen at"
 * (one per notifications load).
 */
async function headerReads(
  w: World,
  fn: () => Promise<unknown>,
  pattern = /^select "notifications_seen_at" from "users"/,
) {
  const { sent } = await recordStatements(w.db, fn);
  return sent.filter((q) => pattern.test(q.text)).length;
}

describe("notifications", () => {
  let w: World;
  before(async () => {
    w = await createWorld();
    await allowPageSignIn(w);
  });

  it("lists what waits on me and what others changed on my assignments, until I mark them seen", async () => {
    const a = await placeOrder(w);
    const clerk = await pageAgent(w, "clerk");
    const clerkHeader = headerOf((await clerk.agent.get("/").expect(200)).text);
    expect(clerkHeader, "the order waits on the clerk").to.contain(a.code);
    expect(clerkHeader).to.contain('href="/notifications"');
    w.clock.advance(60_000);
    await send(w, "clerk", a.id, { type: "order.register" });
    const agency = await pageAgent(w, "agency");
    const page = await agency.agent.get("/notifications").expect(200);
    expect(page.text).to.contain("Thay đổi trên nhiệm vụ của tôi (1)");
    expect(page.text).to.contain("Người dùng clerk");
    expect(page.text).not.to.contain("order.register");
    const other = await pageAgent(w, "otheragency");
    expect((await other.agent.get("/notifications")).text).not.to.contain(a.code);
    await agency.agent.post("/notifications/seen").type("form").send({}).expect(403);
    const seen = await agency.agent.post("/notifications/seen").type("form").send({ _csrf: agency.csrf });
    expect(seen.status).to.equal(303);
    const after = await agency.agent.get(seen.headers.location).expect(200);
    expect(after.text).to.contain("Không có gì mới kể từ lần xem trước.");
    expect(after.text).to.contain("Đã đánh dấu đã xem các thông báo");
    w.clock.advance(60_000);
    await send(w, "secretariat", a.id, { type: "order.proposeAccept", note: "Đúng phạm vi." });
    const again = await agency.agent.get("/notifications").expect(200);
    expect(again.text).to.contain("Thay đổi trên nhiệm vụ của tôi (1)");
    expect(again.text).to.contain("Người dùng secretariat");
  });

  it("reads them only when a page is drawn: not for JSON, a file, an export or a redirect (issue 15)", async () => {
    const a = await placeOrder(w, { title: "Đề án thử đầu trang" });
    const admin = await pageAgent(w, "admin");
    const sec = await pageAgent(w, "secretariat");
    expect(await headerReads(w, () => sec.agent.get("/").expect(200)), "a page").to.equal(1);
    expect(await headerReads(w, () => sec.agent.get(`/assignments/${a.id}`).expect(200)), "a page").to.equal(1);
    // "What waits on me": read once on the dashboard (its list; the header shows the first rows of it).
    const waiting = /unnest\(array\[/;
    expect(await headerReads(w, () => sec.agent.get("/").expect(200), waiting), "dashboard").to.equal(1);
    expect(await headerReads(w, () => sec.agent.get("/queue").expect(200), waiting), "another page").to.equal(1);
    expect(await headerReads(w, () => w.as("secretariat").get("/api/v1/assignments").expect(200)), "API").to.equal(0);
    expect(await headerReads(w, () => sec.agent.get("/api/v1/assignments")), "API, cookie").to.equal(0);
    expect(await headerReads(w, () => sec.agent.get("/exports/assignments.xlsx").expect(200)), "xlsx").to.equal(0);
    expect(await headerReads(w, () => admin.agent.get("/admin/export").expect(200)), "zip").to.equal(0);
    expect(await headerReads(w, () => sec.agent.get("/login").expect(303)), "redirect").to.equal(0);
  });

  it("shows an expert the invitation waiting on them", async () => {
    const a = await placeOrder(w, { title: "Dự án thử mời chuyên gia" });
    await toPlanning(w, a.id);
    await send(w, "secretariat", a.id, {
      type: "plan.submit",
      workPlan: "Họp Hội đồng; 15 ngày nhận xét.",
      costEstimate: 45000000,
      reviewDays: 15,
    });
    await send(w, "secretariat", a.id, {
      type: "panel.invite",
      members: [{ expertId: w.experts[5].id, role: "chair" }],
    });
    const expert = await pageAgent(w, "expert5");
    const header = headerOf((await expert.agent.get("/").expect(200)).text);
    expect(header).to.contain(a.code);
    expect(header).to.contain("lời mời cần trả lời");
  });
});

describe("bulk actions", () => {
  let w: World;
  let a: { id: string; code: string };
  before(async () => {
    w = await createWorld();
    await allowPageSignIn(w);
    a = await placeOrder(w);
    await toPlanning(w, a.id);
    await toReview(w, a.id, 3);
  });

  it("reminds several late experts at once, each reminder in the history; only the secretariat may", async () => {
    const early = await pageAgent(w, "secretariat");
    const none = await early.agent.get("/queue/late-experts").expect(200);
    expect(none.text).to.contain("Không có chuyên gia nào quá hạn.");
    w.clock.advanceDays(40); // past the review deadline (and the session's 14 days: sign in again)
    const sec = await pageAgent(w, "secretariat");
    const page = await sec.agent.get("/queue/late-experts").expect(200);
    const picks = [...page.text.matchAll(/name="pick" value="([^"]+)"/g)].map((m) => m[1]);
    expect(picks).to.have.length(3);
    const before = await w.db
      .select()
      .from(history)
      .where(and(eq(history.assignmentId, a.id), eq(history.eventType, "reminder.send")));
    await sec.agent
      .post("/queue/late-experts")
      .type("form")
      .send({ pick: picks.slice(0, 2) })
      .expect(403);
    const lead = await pageAgent(w, "leadership");
    await lead.agent.get("/queue/late-experts").expect(403);
    await lead.agent.post("/queue/late-experts").type("form").send({ _csrf: lead.csrf, pick: picks }).expect(403);
    const res = await sec.agent
      .post("/queue/late-experts")
      .type("form")
      .send({ _csrf: sec.csrf, pick: picks.slice(0, 2) });
    expect(res.status).to.equal(303);
    const shown = await sec.agent.get(res.headers.location).expect(200);
    expect(shown.text).to.contain("Đã thực hiện cho 2 mục.");
    const rows = await w.db
      .select()
      .from(history)
      .where(and(eq(history.assignmentId, a.id), eq(history.eventType, "reminder.send")));
    expect(rows.length - before.length).to.equal(2);
    const empty = await sec.agent.post("/queue/late-experts").type("form").send({ _csrf: sec.csrf });
    expect(empty.status).to.equal(400);
  });

  it("moves the chosen assignments to another secretariat member, with history; only leadership may", async () => {
    const lead = await pageAgent(w, "leadership");
    const page = await lead.agent.get("/queue/reassign").expect(200);
    expect(page.text).to.contain(a.code);
    const to = w.userFor("secretariat").id;
    const sec = await pageAgent(w, "secretariat");
    await sec.agent.get("/queue/reassign").expect(403);
    await sec.agent
      .post("/queue/reassign")
      .type("form")
      .send({ _csrf: sec.csrf, pick: [a.id], to })
      .expect(403);
    await lead.agent
      .post("/queue/reassign")
      .type("form")
      .send({ pick: [a.id], to })
      .expect(403);
    const res = await lead.agent.post("/queue/reassign").type("form").send({ _csrf: lead.csrf, pick: a.id, to });
    expect(res.status).to.equal(303);
    expect((await lead.agent.get(res.headers.location)).text).to.contain("Đã thực hiện cho 1 mục.");
    const staff = await w.db.select().from(assignmentStaff).where(eq(assignmentStaff.assignmentId, a.id));
    expect(staff.map((s) => s.userId)).to.deep.equal([to]);
    const rows = await w.db
      .select()
      .from(history)
      .where(and(eq(history.assignmentId, a.id), eq(history.eventType, "staff.add")));
    expect(rows).to.have.length(1);
    const narrowed = await lead.agent.get(`/queue/reassign?from=${to}`).expect(200);
    expect(narrowed.text).to.contain(a.code);
    const clerk = w.userFor("clerk").id;
    const moved = await lead.agent
      .post("/queue/reassign")
      .type("form")
      .send({ _csrf: lead.csrf, pick: a.id, to: clerk, from: to });
    expect(moved.status).to.equal(303);
    const after = await w.db.select().from(assignmentStaff).where(eq(assignmentStaff.assignmentId, a.id));
    expect(after.map((s) => s.userId)).to.deep.equal([clerk]);
    const removed = await w.db
      .select()
      .from(history)
      .where(and(eq(history.assignmentId, a.id), eq(history.eventType, "staff.remove")));
    expect(removed).to.have.length(1);
  });
});
