import { expect } from "chai";
import { buildDigestData } from "../../server/digest/buildDigestData.js";
import { planEvent, propose, recordDecision } from "../support/planFlows.js";
import { createWorld, type World } from "../support/testApp.js";

describe("the secretariat's digest: items of the year's list not started by their quarter", function () {
  this.timeout(300_000);
  let w: World;
  before(async () => {
    w = await createWorld({ start: "2026-10-01T02:00:00Z" });
  });

  it("lists an approved item whose quarter has ended without a start, and not one still in its quarter", async () => {
    const created = await w
      .as("secretariat")
      .post("/api/v1/annual-plans", { year: 2027, proposalsDueOn: "2026-11-30" });
    expect(created.status).to.equal(201);
    const planId = created.body.data.id as string;
    const q1 = await propose(w.as("agency"), planId, {
      title: "Phản biện Đề án du lịch cộng đồng Na Hang",
      quarter: 1,
    });
    const q3 = await propose(w.as("secretariat"), planId, { title: "Giám định dự án hồ chứa Khuổi Nhùng", quarter: 3 });
    await planEvent(w.as("secretariat"), planId, { type: "proposals.close" });
    await planEvent(w.as("secretariat"), planId, { type: "items.rank", order: [q1, q3] });
    await planEvent(w.as("secretariat"), planId, { type: "submission.propose" });
    await planEvent(w.as("leadership"), planId, { type: "submission.approve" });
    await planEvent(w.as("clerk"), planId, { type: "submission.issue" });
    await recordDecision(w.as("clerk"), planId, { number: "2345/QĐ-UBND", date: "2026-12-20" });

    const inQ1 = await buildDigestData({
      db: w.db,
      organizationId: w.org.id,
      now: new Date("2027-03-15T01:00:00Z"),
      locale: "vi",
      publicUrl: "http://tvpb.test",
    });
    expect(inQ1.overdue.map((i) => i.title)).to.not.include("Phản biện Đề án du lịch cộng đồng Na Hang");

    const inQ2 = await buildDigestData({
      db: w.db,
      organizationId: w.org.id,
      now: new Date("2027-04-06T01:00:00Z"),
      locale: "vi",
      publicUrl: "http://tvpb.test",
    });
    const late = inQ2.overdue.filter((i) => i.code.startsWith("DM2027-"));
    expect(late.map((i) => [i.title, i.step, i.dueAt, i.waitingOn])).to.deep.equal([
      [
        "Phản biện Đề án du lịch cộng đồng Na Hang",
        "Chưa triển khai (Quý I/2027)",
        "31/03/2027",
        "Ban Tư vấn phản biện",
      ],
    ]);
    expect(late[0].overdueBy).to.match(/^\d+ ngày làm việc$/);
    expect(late[0].url, "the link opens the item on its plan page").to.match(
      /^http:\/\/tvpb\.test\/plans\/[\w-]+\/items\/[\w-]+$/,
    );
    const en = await buildDigestData({
      db: w.db,
      organizationId: w.org.id,
      now: new Date("2027-04-06T01:00:00Z"),
      locale: "en",
      publicUrl: "http://tvpb.test",
    });
    expect(en.overdue.find((i) => i.code.startsWith("DM2027-"))?.step).to.equal("Not started (Quarter I/2027)");
  });
});
