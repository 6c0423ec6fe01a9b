/**
 * Every period a user or a setting gives in days is counted in working days on the organisation's
 * calendar, through the HTTP API as the real roles: the plan's review period, an expert's extension,
 * the agency's response window; the settings page says so.
 */
import { expect } from "chai";
import { and, eq } from "drizzle-orm";
import { deadlines } from "../../server/db/schema.js";
import { isWorkingDay, vietnamDateOf } from "../../server/calendar/workingDays.js";
import { loadCalendar } from "../../server/calendar/loadCalendar.js";
import { createWorld, type World } from "../support/testApp.js";
import { placeOrder, send, toPlanning, toReview } from "../support/flows.js";

async function dueOf(w: World, assignmentId: string, key: string) {
  const [row] = await w.db
    .select()
    .from(deadlines)
    .where(and(eq(deadlines.assignmentId, assignmentId), eq(deadlines.key, key), eq(deadlines.status, "pending")));
  return vietnamDateOf(row.dueAt);
}

describe("periods in days are working days on the organisation's calendar", () => {
  it("moves an expert's 3-day extension past the weekend and the organisation's own day off", async () => {
    const w = await createWorld(); // Monday 02/03/2026
    const put = await w.as("admin").put("/api/v1/settings", {
      holidays: {
        year: 2026,
        days: [
          { day: "2026-03-25", name: "Ngày nghỉ của tỉnh" },
          { day: "2026-04-30", name: "Ngày Giải phóng miền Nam" },
          { day: "2026-05-01", name: "Ngày Quốc tế Lao động" },
        ],
      },
    });
    expect(put.status, JSON.stringify(put.body)).to.equal(200);
    const a = await placeOrder(w);
    await toPlanning(w, a.id);
    await toReview(w, a.id, 3); // the plan gives 15 days: 15 working days after 02/03 → Monday 23/03
    expect(await dueOf(w, a.id, "review")).to.equal("2026-03-23");
    await send(w, "expert1", a.id, { type: "extension.request", days: 3, reason: "Cần thêm số liệu khảo sát." });
    await send(w, "secretariat", a.id, { type: "extension.grant", expertId: w.experts[1].id });
    // 24/03 (1), 25/03 is the province's day off, 26/03 (2), 27/03 (3): Friday, not Thursday 26/03.
    const extended = await dueOf(w, a.id, `review:${w.experts[1].id}`);
    expect(extended).to.equal("2026-03-27");
    const cal = await loadCalendar(w.db, w.org.id, new Date("2026-03-27T00:00:00Z"));
    expect(isWorkingDay(extended, cal)).to.equal(true);
  });

  it("says on the settings page that periods are counted in working days and none in calendar days", async () => {
    const w = await createWorld();
    const page = await w.as("admin").get("/admin/settings").set("Accept", "text/html");
    expect(page.status).to.equal(200);
    expect(page.text).to.contain("đều tính theo ngày làm việc");
    expect(page.text).to.contain("Hiện không thời hạn nào tính theo ngày lịch");
  });
});
