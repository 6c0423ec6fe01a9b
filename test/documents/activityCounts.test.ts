/**
 * The activity report's recommendation figures, counted by the database over the period's
 * assignments: each assignment's recommendations, and those whose newest answer is "accepted"
 * (answers are append-only; a later answer replaces an earlier one).
 */
import { expect } from "chai";
import { sql } from "drizzle-orm";
import { activityRows } from "../../server/documents/activityReportModel.js";
import { addCalendarDays, vietnamDateOf } from "../../server/calendar/workingDays.js";
import { createWorld, type World } from "../support/testApp.js";
import { placeOrder, send, submitOpinions, toClosed, toIssuing, toPlanning, toReview } from "../support/flows.js";

describe("the activity report's recommendation counts", () => {
  let w: World;
  let answered: string;
  let open: string;
  before(async () => {
    w = await createWorld();
    answered = (await placeOrder(w, { forms: ["expert_group", "written"], title: "Đề án đã trả lời kiến nghị" })).id;
    await toPlanning(w, answered);
    await toReview(w, answered, 2);
    await submitOpinions(w, answered, [0, 1]);
    await send(w, "secretariat", answered, { type: "review.close" });
    await toIssuing(w, answered, false);
    await toClosed(w, answered); // the first recommendation accepted, the others partly
    open = (await placeOrder(w, { title: "Đề án chưa có kiến nghị" })).id;
  });

  const today = () => vietnamDateOf(w.clock.now());
  const rowsFor = async () => {
    const period = { from: today(), to: addCalendarDays(today(), 1), label: "một ngày", kind: "quarterly" as const };
    return activityRows(w.db, w.org.id, period);
  };
  const row = (rows: Awaited<ReturnType<typeof rowsFor>>, title: string) =>
    rows.find((r) => r.row.title === title)!.row;

  it("counts each assignment's recommendations and the accepted ones by their newest answer", async () => {
    const [{ n }] = (await w.database.query("select count(*)::int as n from recommendations where assignment_id = $1", [
      answered,
    ])) as Array<{ n: number }>;
    expect(n, "recommendations made").to.be.greaterThan(1);
    let rows = await rowsFor();
    expect(row(rows, "Đề án đã trả lời kiến nghị")).to.include({ recommendations: n, accepted: 1 });
    expect(row(rows, "Đề án chưa có kiến nghị")).to.include({ recommendations: 0, accepted: 0 });

    // A newer answer for each, all rejected; then a newer one still, all accepted.
    const answerAll = (status: string) =>
      w.db.execute(sql`insert into recommendation_responses
          (id, organization_id, assignment_id, recommendation_id, status, explanation, created_at)
        select gen_random_uuid()::text, r.organization_id, r.assignment_id, r.id, ${status}, 'Trả lời bổ sung.',
          latest.created_at + interval '1 minute'
        from recommendations r
        cross join lateral (select created_at from recommendation_responses rr where rr.recommendation_id = r.id
          order by rr.created_at desc limit 1) latest
        where r.assignment_id = ${answered}`);
    await answerAll("rejected");
    rows = await rowsFor();
    expect(row(rows, "Đề án đã trả lời kiến nghị")).to.include({ recommendations: n, accepted: 0 });
    await answerAll("accepted");
    rows = await rowsFor();
    expect(row(rows, "Đề án đã trả lời kiến nghị")).to.include({ recommendations: n, accepted: n });
    expect(rows.map((r) => r.row.title)).to.have.members(["Đề án đã trả lời kiến nghị", "Đề án chưa có kiến nghị"]);
    expect(open).to.be.a("string");
  });

  it("writes each row's status in words from its own state, the same state's rows alike and unknown ones in progress", async () => {
    const second = (await placeOrder(w, { title: "Đề án thứ hai vừa đặt hàng" })).id;
    const setState = (id: string, state: string) =>
      w.database.query("update assignments set state = $2 where id = $1", [id, state]);
    let rows = await rowsFor();
    const received = row(rows, "Đề án chưa có kiến nghị").status;
    expect(received, "a new order: received, in words").to.equal("Đang xem xét tiếp nhận");
    expect(row(rows, "Đề án thứ hai vừa đặt hàng").status, "two rows in one state").to.equal(received);
    expect(row(rows, "Đề án đã trả lời kiến nghị").status, "a closed one").to.equal("Đã có phản hồi");
    const inProgress = await (async () => {
      await setState(second, "active.underReview"); // a nested state, read from its deepest part
      rows = await rowsFor();
      return row(rows, "Đề án thứ hai vừa đặt hàng").status;
    })();
    expect(inProgress).to.equal("Đang thực hiện");
    await setState(second, "somethingNew"); // a state the report has no bucket for: work in progress
    rows = await rowsFor();
    expect(row(rows, "Đề án thứ hai vừa đặt hàng").status).to.equal(inProgress);
    expect(row(rows, "Đề án chưa có kiến nghị").status, "the other row keeps its own").to.equal(received);
  });
});
