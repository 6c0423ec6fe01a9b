/**
 * The year's programme on the web pages (issue 16), as the real roles with cookie sessions: the
 * secretariat opens a year, an association proposes through the form and sees only its own,
 * the list goes through leadership and the clerk to the province's decision (one item cut, the
 * decision uploaded), an item becomes an assignment whose step shows on the plan, an amendment
 * starts; experts are refused; refused forms show their message beside the field.
 */
import { expect } from "chai";
import { eq } from "drizzle-orm";
import { users } from "../../../server/db/schema.js";
import { createWorld, type World } from "../../support/testApp.js";
import { associationUser, DECISION_PDF, personFor, propose } from "../../support/planFlows.js";
import { emailOf, givePasswords, signInAs } from "../../support/pageSession.js";

type Session = Awaited<ReturnType<typeof signInAs>>;

describe("annual plan pages", () => {
  let w: World;
  let sec: Session;
  let lead: Session;
  let clerk: Session;
  let assoc: Session;
  let planId = "";
  let assocId = "";
  before(async () => {
    w = await createWorld({ start: "2026-09-01T02:00:00Z" });
    const a = await associationUser(w);
    assocId = a.assoc.id;
    await givePasswords(w);
    sec = await signInAs(w, w.userFor("secretariat").email);
    lead = await signInAs(w, w.userFor("leadership").email);
    clerk = await signInAs(w, w.userFor("clerk").email);
    assoc = await signInAs(w, await emailOf(w, a.client.userId));
  });

  const form = (s: Session, url: string, body: Record<string, unknown>) =>
    s.agent
      .post(url)
      .type("form")
      .send({ _csrf: s.csrf, ...body });

  it("lets the secretariat open a year through the form, and lists it in words", async () => {
    const bad = await form(sec, "/plans", { year: "2027", proposalsDueOn: "" });
    expect(bad.status).to.equal(400);
    expect(bad.text).to.match(/id="c-proposalsDueOn"[^>]*aria-invalid="true"/);
    expect(bad.text).to.contain("Hạn nhận đề xuất");
    expect(bad.text).not.to.contain("validation_failed");
    const res = await form(sec, "/plans", { year: "2027", proposalsDueOn: "2026-10-31" });
    expect(res.status, res.text.slice(0, 500)).to.equal(303);
    planId = /\/plans\/([0-9a-f-]{36})/.exec(res.headers.location)![1];
    const list = await sec.agent.get("/plans");
    expect(list.status).to.equal(200);
    expect(list.text).to.contain("Đang nhận đề xuất");
    expect(list.text).to.contain('href="/plans"');
  });

  it("takes an association's proposal through its form, shows it only its own, refuses experts", async () => {
    await propose(w.as("agency"), planId, { title: "Phản biện Đề án du lịch cộng đồng" });
    const page = await assoc.agent.get(`/plans/${planId}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain("Đề xuất của tôi");
    const proposal = {
      title: "Tư vấn chính sách thu hút trí thức trẻ",
      taskType: "consultancy",
      forms: "expert_group",
      quarter: "2",
      rationale: "Tỉnh thiếu nhân lực khoa học trẻ.",
      estimatedCost: "30.000,5",
    };
    const bad = await form(assoc, `/plans/${planId}/proposals`, proposal);
    expect(bad.status).to.equal(400);
    expect(bad.text).to.match(/id="p-estimatedCost"[^>]*aria-invalid="true"/);
    expect(bad.text).to.contain("Tư vấn chính sách thu hút trí thức trẻ");
    expect(bad.text).not.to.match(/content\.estimatedCost/);
    const ok = await form(assoc, `/plans/${planId}/proposals`, { ...proposal, estimatedCost: "30.000.000" });
    expect(ok.status).to.equal(303);
    const mine = await assoc.agent.get(`/plans/${planId}`);
    expect(mine.text).to.contain("Tư vấn chính sách thu hút trí thức trẻ");
    expect(mine.text).to.contain("30.000.000 đ");
    expect(mine.text).not.to.contain("du lịch cộng đồng");
    expect(mine.text).not.to.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}</);
    const own = /href="\/plans\/[0-9a-f-]{36}\/items\/([0-9a-f-]{36})"/.exec(mine.text)![1];
    const edit = await form(assoc, `/plans/${planId}/items/${own}/events`, {
      type: "item.edit",
      estimatedCost: "35.000.000",
      reason: "Bổ sung một chuyên gia.",
    });
    expect(edit.status, /notice err[^>]*>([^<]*)/.exec(edit.text)?.[1]).to.equal(303);
    expect((await assoc.agent.get(`/plans/${planId}/items/${own}`)).text).to.contain("35.000.000 đ");
    const english = await assoc.agent.get(`/plans/${planId}`).set("Cookie", "tvpb_lang=en");
    expect(english.status).to.equal(200);
    const staffPage = await sec.agent.get(`/plans/${planId}`);
    const ids = [...staffPage.text.matchAll(/\/items\/([0-9a-f-]{36})"/g)].map((m) => m[1]);
    const agencyItem = ids.find((i) => i !== own)!;
    expect((await assoc.agent.get(`/plans/${planId}/items/${agencyItem}`)).status).to.equal(404);
    const foreign = await form(assoc, `/plans/${planId}/items/${agencyItem}/events`, {
      type: "proposal.withdraw",
      reason: "Thử rút đề xuất của người khác.",
    });
    expect(foreign.status).to.be.oneOf([403, 404]);
    const expert = await signInAs(w, w.userFor("expert0").email);
    expect((await expert.agent.get(`/plans/${planId}`)).status).to.equal(403);
    expect((await expert.agent.get("/plans")).status).to.equal(403);
    const list = await sec.agent.get("/plans");
    expect(list.text).to.match(/<td>2<\/td>/);
    expect(list.text).to.match(/id="c-year"[^>]*value="2028"/);
    const staffView = await sec.agent.get(`/plans/${planId}`);
    expect(staffView.text).to.contain("du lịch cộng đồng");
    expect(staffView.text).to.contain("Hội Dược liệu tỉnh Tuyên Quang");
  });

  it("goes to the province's decision through the forms of each step, with one item cut", async () => {
    expect((await form(sec, `/plans/${planId}/events`, { type: "proposals.close" })).status).to.equal(303);
    let page = await sec.agent.get(`/plans/${planId}`);
    expect(page.text).to.contain("Đang tổng hợp, rà soát");
    const ids = [...page.text.matchAll(/name="pos_([0-9a-f-]{36})"/g)].map((m) => m[1]);
    expect(ids).to.have.length(2);
    const rank = await form(sec, `/plans/${planId}/rank`, { [`pos_${ids[0]}`]: "2", [`pos_${ids[1]}`]: "1" });
    expect(rank.status).to.equal(303);
    expect((await form(sec, `/plans/${planId}/events`, { type: "submission.propose" })).status).to.equal(303);
    const noComment = await form(lead, `/plans/${planId}/events`, { type: "submission.return", comments: "" });
    expect(noComment.status).to.equal(400);
    expect(noComment.text).to.match(/id="submission.return-comments"[^>]*aria-invalid="true"/);
    expect((await form(lead, `/plans/${planId}/events`, { type: "submission.approve" })).status).to.equal(303);
    expect((await form(clerk, `/plans/${planId}/events`, { type: "submission.issue" })).status).to.equal(303);
    page = await clerk.agent.get(`/plans/${planId}`);
    expect(page.text).to.contain("Ghi nhận quyết định của UBND tỉnh");
    const noFile = await clerk.agent
      .post(`/plans/${planId}/decision`)
      .field("_csrf", clerk.csrf)
      .field("number", "2345/QĐ-UBND")
      .field("date", "2026-12-20");
    expect(noFile.status).to.equal(400);
    expect(noFile.text).to.contain("Cần tải lên bản quyết định.");
    const done = await clerk.agent
      .post(`/plans/${planId}/decision`)
      .field("_csrf", clerk.csrf)
      .field("number", "2345/QĐ-UBND")
      .field("date", "2026-12-20")
      .field(`outcome_${ids[0]}`, "cut")
      .field(`outcome_${ids[1]}`, "as_sent")
      .attach("file", DECISION_PDF, { filename: "QĐ phê duyệt.pdf", contentType: "application/pdf" });
    expect(done.status, done.text.slice(0, 400)).to.equal(303);
    page = await sec.agent.get(`/plans/${planId}`);
    expect(page.text).to.contain("Bị loại khỏi danh mục");
    expect(page.text).to.contain("Được phê duyệt");
    expect(page.text).to.contain("2345/QĐ-UBND");
    expect(page.text).to.contain("Đang thực hiện");
  });

  it("starts an approved item as an assignment and shows where it is; starts an amendment", async () => {
    const page = await sec.agent.get(`/plans/${planId}`);
    const approved =
      /href="\/plans\/[0-9a-f-]{36}\/items\/([0-9a-f-]{36})"[^<]*<\/a>(?:(?!<\/tr>).)*Được phê duyệt</s.exec(page.text);
    expect(approved, "an approved row").to.not.equal(null);
    const itemId = approved![1];
    const itemPage = await sec.agent.get(`/plans/${planId}/items/${itemId}`);
    expect(itemPage.status).to.equal(200);
    expect(itemPage.text).to.contain("Triển khai thành nhiệm vụ");
    const started = await form(sec, `/plans/${planId}/items/${itemId}/start`, { summary: "" });
    expect(started.status, started.text.slice(0, 400)).to.equal(303);
    expect(started.headers.location).to.match(/^\/assignments\/[0-9a-f-]{36}\?done=item.start$/);
    const after = await sec.agent.get(`/plans/${planId}`);
    expect(after.text).to.contain("Đang thực hiện");
    expect(after.text).to.match(/href="\/assignments\/[0-9a-f-]{36}"/);
    expect(after.text).to.contain("Văn thư");
    const accountant = await personFor(w, ["accountant"]);
    await givePasswords(w);
    const acc = await signInAs(w, await emailOf(w, accountant.userId));
    const seen = await acc.agent.get(`/plans/${planId}`);
    expect(seen.text, "the accountant sees where the work is").to.contain("Đã đặt hàng");
    expect(seen.text, "but has no assignment page to open").to.not.match(/href="\/assignments\/[0-9a-f-]{36}"/);
    const noReason = await form(sec, `/plans/${planId}/events`, { type: "amendment.open", reason: " " });
    expect(noReason.status).to.equal(400);
    expect(noReason.text).to.match(/id="amendment.open-reason"[^>]*aria-invalid="true"/);
    const open = await form(sec, `/plans/${planId}/events`, { type: "amendment.open", reason: "UBND giao bổ sung." });
    expect(open.status).to.equal(303);
    const amending = await sec.agent.get(`/plans/${planId}`);
    expect(amending.text).to.contain("Điều chỉnh: đang tổng hợp");
    expect(amending.text).to.contain("Thêm nhiệm vụ vào danh mục");
    expect(amending.text).to.contain("Danh mục đầu năm");
    // In the plan's year the dashboard charts its execution and its money.
    const before = w.clock.now();
    w.clock.set("2027-01-12T02:00:00Z");
    const later = await signInAs(w, w.userFor("secretariat").email); // months on, a new session
    const dash = await later.agent.get("/");
    w.clock.set(before.toISOString());
    expect(dash.status).to.equal(200);
    expect(dash.text).to.contain("Thực hiện Danh mục năm 2027");
    expect(dash.text).to.contain("Kinh phí Danh mục năm 2027: được duyệt và đã chi");
    expect(dash.text).to.contain("<title>Đang thực hiện: 1</title>");
    expect((await w.as("expert0").get("/").set("Accept", "text/html")).text).to.not.contain("Thực hiện Danh mục");
  });

  it("shows an item's pending change in the amendment, offers 'keep' only then, and keeping restores the terms in force", async () => {
    const api = async () => (await w.as("secretariat").get(`/api/v1/annual-plans/${planId}`)).body.data;
    type Item = {
      id: string;
      status: string;
      version: number;
      pending: { kind: string } | null;
      content: { estimatedCost: number };
    };
    const before = (await api()).items as Item[];
    const item = before.find((i) => i.status === "approved") ?? before.find((i) => i.status === "started")!;
    expect(item.pending).to.equal(null);
    const url = `/plans/${planId}/items/${item.id}`;
    let page = await sec.agent.get(url);
    expect(page.text).to.contain("<summary>Điều chỉnh nhiệm vụ</summary>");
    expect(page.text).to.not.contain("Giữ nguyên nhiệm vụ");
    const inForce = item.content.estimatedCost;
    const change = { type: "item.change", estimatedCost: String(inForce + 5_000_000), reason: "Mở rộng khảo sát." };
    expect((await form(sec, `${url}/events`, change)).status).to.equal(303);
    page = await sec.agent.get(url);
    expect(page.text).to.contain("Điều chỉnh trong lần điều chỉnh này");
    expect(page.text).to.contain("<summary>Giữ nguyên nhiệm vụ</summary>");
    expect(page.text, "one pending change at a time").to.not.contain("<summary>Điều chỉnh nhiệm vụ</summary>");
    expect((await sec.agent.get(`/plans/${planId}`)).text).to.contain("Điều chỉnh trong lần điều chỉnh này");
    const changed = ((await api()).items as Item[]).find((i) => i.id === item.id)!;
    expect(changed.pending?.kind).to.equal("change");
    expect(changed.content.estimatedCost).to.equal(inForce + 5_000_000);
    const kept = await form(sec, `${url}/events`, { type: "item.keep", reason: "Giữ như Quyết định." });
    expect(kept.status, kept.text.slice(0, 300)).to.equal(303);
    const after = ((await api()).items as Item[]).find((i) => i.id === item.id)!;
    expect(after.pending).to.equal(null);
    expect(after.content.estimatedCost, "the terms in force again").to.equal(inForce);
    expect(after.version, "the change and its withdrawal both kept").to.equal(item.version + 2);
    page = await sec.agent.get(url);
    expect(page.text).to.not.contain("Giữ nguyên nhiệm vụ");
    expect(page.text).to.contain("<summary>Điều chỉnh nhiệm vụ</summary>");
  });

  it("lets the admin attach a new user to a member association, and requires it for that role", async () => {
    const admin = await signInAs(w, w.userFor("admin").email);
    const page = await admin.agent.get("/admin/users");
    expect(page.text).to.contain("Hội Dược liệu tỉnh Tuyên Quang");
    const user = { fullName: "Hoàng Văn Nam", email: "hvnam@hoiduoclieu.vn", roles: "association", locale: "vi" };
    const bad = await form(admin, "/admin/users", user);
    expect(bad.status).to.equal(400);
    expect(bad.text).to.match(/id="memberAssociationId"[^>]*aria-invalid="true"/);
    expect(bad.text).to.contain("cần gắn với một hội thành viên");
    const ok = await form(admin, "/admin/users", { ...user, memberAssociationId: assocId });
    expect(ok.status, ok.text.slice(0, 300)).to.equal(303);
    const [u] = await w.db.select().from(users).where(eq(users.email, "hvnam@hoiduoclieu.vn"));
    expect(u.memberAssociationId).to.equal(assocId);
  });
});
