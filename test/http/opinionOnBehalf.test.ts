/** Issue 13 §4: an opinion is edited on an expert's behalf only until the report is submitted, with a reason. */
import { expect } from "chai";
import { createWorld, opinionBody, reportBody, type World } from "../support/testApp.js";
import { placeOrder, send, submitOpinions, toPlanning, toReview } from "../support/flows.js";

async function edit(w: World, id: string, expert: number, reason?: string) {
  const body: Record<string, unknown> = { content: { ...opinionBody(expert), general: "Sửa lỗi chính tả mục I." } };
  if (reason !== undefined) body.reason = reason;
  return w.as("secretariat").post(`/api/v1/assignments/${id}/opinions/${w.experts[expert].id}/versions`, body);
}

async function historyEvents(w: World, id: string) {
  const res = await w.as("secretariat").get(`/api/v1/assignments/${id}/history`);
  expect(res.status).to.equal(200);
  return res.body.data as Array<{ event: string; reason: string | null; actor: string; payload: { version?: number } }>;
}

describe("Editing an opinion on an expert's behalf (issue 13 §4)", () => {
  it("needs a reason, writes an opinion.edited history row shown on the timeline, while under review", async () => {
    const w = await createWorld();
    const a = await placeOrder(w);
    await toPlanning(w, a.id);
    await toReview(w, a.id);
    await submitOpinions(w, a.id, [0]);

    const noReason = await edit(w, a.id, 0);
    expect(noReason.status).to.equal(400);
    const blank = await edit(w, a.id, 0, "   ");
    expect(blank.status).to.equal(400);
    expect((await historyEvents(w, a.id)).filter((h) => h.event === "opinion.edited")).to.have.length(0);

    const ok = await edit(w, a.id, 0, "Chuyên gia gọi điện đề nghị sửa lỗi chính tả.");
    expect(ok.status, JSON.stringify(ok.body)).to.equal(201);
    const rows = (await historyEvents(w, a.id)).filter((h) => h.event === "opinion.edited");
    expect(rows).to.have.length(1);
    expect(rows[0].reason).to.equal("Chuyên gia gọi điện đề nghị sửa lỗi chính tả.");
    expect(rows[0].payload.version).to.equal(2);
    const detail = await w.as("secretariat").get(`/api/v1/assignments/${a.id}`);
    const timeline = detail.body.data.timeline as Array<{ event: string; reason: string }>;
    expect(timeline.some((h) => h.event === "opinion.edited" && /chính tả/.test(h.reason))).to.equal(true);
  });

  it("is still possible during consolidation and refused with 409 opinion_frozen once the report is submitted", async () => {
    const w = await createWorld();
    const a = await placeOrder(w, { forms: ["council"] });
    await toPlanning(w, a.id);
    await toReview(w, a.id);
    await submitOpinions(w, a.id, [0, 1, 2]);
    await send(w, "secretariat", a.id, { type: "review.close" });

    const during = await edit(w, a.id, 1, "Bổ sung kết luận theo biên bản họp.");
    expect(during.status, JSON.stringify(during.body)).to.equal(201);

    const r = await w.as("secretariat").post(`/api/v1/assignments/${a.id}/report`, reportBody(2));
    expect(r.status).to.equal(201);
    await send(w, "secretariat", a.id, { type: "report.submit" });
    const before = (await historyEvents(w, a.id)).length;
    const after = await edit(w, a.id, 1, "Sửa sau khi trình.");
    expect(after.status, JSON.stringify(after.body)).to.equal(409);
    expect(after.body.error.code).to.equal("opinion_frozen");
    expect((await historyEvents(w, a.id)).length).to.equal(before);
    const edited = (await historyEvents(w, a.id)).filter((h) => h.event === "opinion.edited");
    expect(edited).to.have.length(1);
  });

  it("is refused to anyone but the secretariat", async () => {
    const w = await createWorld();
    const a = await placeOrder(w);
    await toPlanning(w, a.id);
    await toReview(w, a.id);
    await submitOpinions(w, a.id, [0]);
    const res = await w.as("leadership").post(`/api/v1/assignments/${a.id}/opinions/${w.experts[0].id}/versions`, {
      content: opinionBody(0),
      reason: "Thử.",
    });
    expect(res.status).to.equal(403);
  });
});
