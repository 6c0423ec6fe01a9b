/**
 * Self-initiated work that asked a recipient to answer: there is no agency account, so the Union
 * (secretariat or clerk) records the answer — who answered, the letter's date and number, what it
 * adopted, the letter itself — through the HTTP API, with history, and the assignment then closes.
 */
import { expect } from "chai";
import { createWorld, type World } from "../support/testApp.js";
import { allowPageSignIn, pageAgent } from "../support/pageAgent.js";
import { markIssued, send, submitOpinions, toIssuing, toPlanning, toReview } from "../support/flows.js";

const HDND = "Hội đồng nhân dân tỉnh Tuyên Quang";

async function deliveredSelfInitiated(w: World) {
  const created = await w.as("secretariat").post("/api/v1/assignments", {
    type: "critique",
    forms: ["expert_group", "written"],
    subjectKind: "draft_resolution",
    origin: "self_initiated",
    title: "Dự thảo Nghị quyết HĐND tỉnh quy định chính sách thu hút, trọng dụng trí thức",
    draftingAgency: "Sở Nội vụ tỉnh Tuyên Quang",
    recipients: [
      { name: HDND, email: "hdnd@test.vn", answerRequested: true },
      { name: "Ban Thường vụ Tỉnh ủy Tuyên Quang", email: "tinhuy@test.vn" },
    ],
  });
  expect(created.status, JSON.stringify(created.body)).to.equal(201);
  const id = created.body.data.id as string;
  await toPlanning(w, id);
  await toReview(w, id, 2);
  await submitOpinions(w, id, [0, 1]);
  await send(w, "secretariat", id, { type: "review.close" });
  await toIssuing(w, id, false);
  await send(w, "clerk", id, { type: "report.issue" });
  await markIssued(w, id);
  const delivered = await send(w, "clerk", id, { type: "delivery.recorded", channel: "email" });
  expect(delivered.state).to.equal("awaitingResponse");
  return id;
}

describe("the Union records a recipient's answer to self-initiated work", () => {
  it("records who answered, when, what was adopted and the letter, keeps each step in the history, then closes", async () => {
    const w = await createWorld();
    const id = await deliveredSelfInitiated(w);
    const detail = (await w.as("secretariat").get(`/api/v1/assignments/${id}`)).body.data;
    const recs = detail.recommendations as Array<{ id: string }>;
    expect(recs.length).to.equal(2);
    const can = (detail.can as Array<{ type: string }>).map((c) => c.type);
    expect(can, "the secretariat is offered the recording").to.include("response.record");
    expect(can).to.not.include("response.submit");

    // The answer letter goes into the dossier first, as a file of kind response_letter.
    const pdf = Buffer.from("%PDF-1.4\n% công văn trả lời của HĐND tỉnh\n%%EOF\n");
    const up = await w
      .as("clerk")
      .upload(`/api/v1/assignments/${id}/files`)
      .field("kind", "response_letter")
      .attach("file", pdf, "cong-van-tra-loi-HDND.pdf");
    expect(up.status, JSON.stringify(up.body)).to.equal(201);
    const fileId = up.body.data.id as string;

    const first = { recommendationId: recs[0].id, status: "accepted" };
    const rest = {
      recommendationId: recs[1].id,
      status: "partly",
      explanation: "Tiếp thu một phần, chờ nguồn ngân sách.",
    };
    const base = { type: "response.record", answeredBy: HDND, answeredOn: "2026-03-02", reference: "45/HĐND-VP" };
    // Refusals: a body that is not a recipient, a date after today, a file that is not an answer letter.
    const stranger = await w.as("clerk").post(`/api/v1/assignments/${id}/events`, {
      ...base,
      answeredBy: "Sở Tài chính",
      answers: [first],
    });
    expect(stranger.status).to.equal(400);
    expect(stranger.body.error.code).to.equal("unknown_recipient");
    const future = await w.as("clerk").post(`/api/v1/assignments/${id}/events`, {
      ...base,
      answeredOn: "2099-01-01",
      answers: [first],
    });
    expect(future.body.error.code).to.equal("answer_date_in_future");
    const wrongFile = await w.as("clerk").post(`/api/v1/assignments/${id}/events`, {
      ...base,
      fileId: "00000000-0000-4000-8000-000000000000",
      answers: [first],
    });
    expect(wrongFile.body.error.code).to.equal("unknown_file");
    const expertTry = await w.as("expert0").post(`/api/v1/assignments/${id}/events`, { ...base, answers: [first] });
    expect(expertTry.status).to.equal(403);

    // One answer now (still awaiting), the rest with the letter: responded, then closed.
    const partial = await send(w, "clerk", id, { ...base, answers: [first] });
    expect(partial.state).to.equal("awaitingResponse");
    const done = await send(w, "secretariat", id, { ...base, fileId, answers: [rest] });
    expect(done.state).to.equal("responded");
    const after = (await w.as("secretariat").get(`/api/v1/assignments/${id}`)).body.data;
    const statuses = (after.recommendations as Array<{ response: { status: string } }>).map((r) => r.response.status);
    expect(statuses).to.deep.equal(["accepted", "partly"]);

    const hist = await w.as("secretariat").get(`/api/v1/assignments/${id}/history`);
    expect(hist.status).to.equal(200);
    const recorded = (hist.body.data as Array<{ event: string; payload: Record<string, unknown> }>).filter(
      (h) => h.event === "response.record",
    );
    expect(recorded).to.have.length(2);
    const last = recorded.find((h) => h.payload.fileId === fileId);
    expect(last?.payload).to.include({ answeredBy: HDND, answeredOn: "2026-03-02", reference: "45/HĐND-VP" });
    const file = await w.as("leadership").get(`/api/v1/assignments/${id}/files/${fileId}`);
    expect(file.status).to.equal(200);

    const closed = await send(w, "secretariat", id, { type: "assignment.close", note: "Đã lưu hồ sơ." });
    expect(closed.state).to.equal("closed");
  });

  it("records the answer from the assignment page's form too", async () => {
    const w = await createWorld();
    await allowPageSignIn(w);
    const id = await deliveredSelfInitiated(w);
    const clerk = await pageAgent(w, "clerk");
    const page = await clerk.agent.get(`/assignments/${id}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('id="record-answer-form"');
    const recs = (await w.as("clerk").get(`/api/v1/assignments/${id}`)).body.data.recommendations as Array<{
      id: string;
    }>;
    const form: Record<string, string> = {
      _csrf: clerk.csrf,
      type: "response.record",
      answeredBy: HDND,
      answeredOn: "2026-03-02",
      reference: "45/HĐND-VP",
      fileId: "",
      [`answers[${recs[0].id}][status]`]: "accepted",
      [`answers[${recs[1].id}][status]`]: "not_accepted",
      [`answers[${recs[1].id}][explanation]`]: "Chưa phù hợp với khả năng cân đối ngân sách năm 2026.",
    };
    const posted = await clerk.agent.post(`/assignments/${id}/events`).type("form").send(form);
    expect(posted.status, posted.text.slice(0, 400)).to.equal(303);
    const after = (await w.as("clerk").get(`/api/v1/assignments/${id}`)).body.data;
    expect(after.state).to.equal("responded");
  });

  it("does not let the Union answer for an ordering agency", async () => {
    const w = await createWorld();
    const res = await w.as("agency").post("/api/v1/assignments", {
      type: "critique",
      forms: ["expert_group"],
      subjectKind: "project",
      title: "Đề án phát triển cây dược liệu tỉnh giai đoạn 2026–2030",
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    const id = res.body.data.id as string;
    await toPlanning(w, id);
    await toReview(w, id, 2);
    await submitOpinions(w, id, [0, 1]);
    await send(w, "secretariat", id, { type: "review.close" });
    await toIssuing(w, id, false);
    await send(w, "clerk", id, { type: "report.issue" });
    await markIssued(w, id);
    await send(w, "clerk", id, { type: "delivery.recorded", channel: "email" });
    const detail = (await w.as("secretariat").get(`/api/v1/assignments/${id}`)).body.data;
    expect((detail.can as Array<{ type: string }>).map((c) => c.type)).to.not.include("response.record");
    const tried = await w.as("secretariat").post(`/api/v1/assignments/${id}/events`, {
      type: "response.record",
      answeredBy: "Ủy ban nhân dân tỉnh Tuyên Quang",
      answeredOn: "2026-03-02",
      answers: [{ recommendationId: detail.recommendations[0].id, status: "accepted" }],
    });
    expect(tried.status).to.be.oneOf([400, 409]);
  });
});
