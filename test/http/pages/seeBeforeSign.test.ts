/**
 * See before you sign (issue 14 §1): whoever endorses, approves or issues the report sees it on the
 * assignment page — inline in the official template, with the draft PDF and the Word file — and,
 * after a return, what changed since the returned version; issuing and the agency's final answer
 * ask for a ticked confirmation, checked on the server too.
 */
import { expect } from "chai";
import { createWorld, type World } from "../../support/testApp.js";
import { placeOrder, send, submitOpinions, toReview, toPlanning, markIssued } from "../../support/flows.js";
import { allowPageSignIn, pageAgent } from "../../support/pageAgent.js";
import { codesIn, visibleText } from "../../support/pageText.js";

const report = (recs: string[], overall: string) => ({
  content: {
    sections: [{ key: "overall", title: "II. Đánh giá chung", paragraphs: [{ text: overall }] }],
    recommendations: recs.map((text) => ({ text })),
    conclusion: "fit_after_revision",
  },
});

describe("see before you sign", () => {
  let w: World;
  let id = "";
  before(async () => {
    w = await createWorld();
    await allowPageSignIn(w);
    id = (await placeOrder(w, { forms: ["council"] })).id;
    await toPlanning(w, id);
    await toReview(w, id, 3);
    await submitOpinions(w, id, [0, 1, 2]);
    await send(w, "secretariat", id, { type: "review.close" });
    const save = (body: object) => w.as("secretariat").post(`/api/v1/assignments/${id}/report`, body).expect(201);
    await save(report(["Bổ sung nguồn vốn thực hiện."], "Đề án cần thiết."));
    await send(w, "secretariat", id, { type: "report.submit" });
    await send(w, "expert0", id, { type: "report.endorse" });
    await send(w, "leadership", id, { type: "report.return", comments: "Cần làm rõ nguồn vốn và tiến độ." });
    await save(report(["Bổ sung nguồn vốn ngân sách tỉnh.", "Bổ sung tiến độ theo năm."], "Đề án cần thiết."));
    await send(w, "secretariat", id, { type: "report.submit" });
  });

  it("shows the chair the report inline with its Word file before endorsing, and not the staff-only PDF", async () => {
    const { agent } = await pageAgent(w, "expert0");
    const page = await agent.get(`/assignments/${id}`).expect(200);
    expect(page.text).to.contain('id="ev-report.endorse"');
    expect(page.text).to.contain(`<iframe class="doc-preview" src="/assignments/${id}/report/preview"`);
    expect(page.text).to.contain(`/api/v1/assignments/${id}/report.docx`);
    expect(page.text).to.not.contain(`/api/v1/assignments/${id}/drafts/finalReport`);
    const html = await agent.get(`/assignments/${id}/report/preview`).expect(200);
    expect(html.headers["content-type"]).to.match(/text\/html/);
    expect(html.text).to.contain("Bổ sung tiến độ theo năm.");
  });

  it("shows leadership the report, the draft PDF and what changed since the returned version", async () => {
    await send(w, "expert0", id, { type: "report.endorse" });
    const { agent } = await pageAgent(w, "leadership");
    const page = await agent.get(`/assignments/${id}`).expect(200);
    expect(page.text).to.contain('id="ev-report.approve"');
    expect(page.text).to.contain(`href="/api/v1/assignments/${id}/drafts/finalReport"`);
    expect(page.text).to.contain("Cần làm rõ nguồn vốn và tiến độ.");
    expect(page.text).to.match(
      /<li class="diff-removed">[^<]*<span class="sr-only">[^<]*<\/span>− 1\. Bổ sung nguồn vốn thực hiện\./,
    );
    expect(page.text).to.match(
      /<li class="diff-added">[^<]*<span class="sr-only">[^<]*<\/span>\+ 2\. Bổ sung tiến độ theo năm\./,
    );
    expect(page.text).to.match(/<li class="diff-same">\s*Đề án cần thiết\./);
    // Words for people: the timeline (with the invitations' rows) shows no code, key or UUID.
    expect(visibleText(page.text)).to.contain("Đang chờ trả lời → Đã nhận lời");
    expect(codesIn(visibleText(page.text))).to.deep.equal([]);
  });

  it("keeps the report preview from people outside the work", async () => {
    const { agent } = await pageAgent(w, "agency");
    const res = await agent.get(`/assignments/${id}/report/preview`);
    expect(res.status).to.be.oneOf([403, 404]);
    const page = await agent.get(`/assignments/${id}`).expect(200);
    expect(page.text).to.not.contain("doc-preview");
  });

  it("issues only with the confirmation ticked, and says so when it is not", async () => {
    await send(w, "leadership", id, { type: "report.approve" });
    const { agent, csrf } = await pageAgent(w, "clerk");
    const page = await agent.get(`/assignments/${id}`).expect(200);
    expect(page.text).to.match(
      /<input type="checkbox" name="confirm" value="yes" required id="f-report.issue-confirm">/,
    );
    expect(page.text).to.contain("doc-preview");
    const refused = await agent
      .post(`/assignments/${id}/events`)
      .type("form")
      .send({ _csrf: csrf, type: "report.issue" });
    expect(refused.status).to.equal(400);
    expect(refused.text).to.contain('<details class="event" id="ev-report.issue" open>');
    const state = (await w.as("clerk").get(`/api/v1/assignments/${id}`)).body.data.state;
    expect(state).to.equal("issuing");
    const issued = await agent
      .post(`/assignments/${id}/events`)
      .type("form")
      .send({ _csrf: csrf, type: "report.issue", confirm: "yes" });
    expect(issued.status).to.equal(303);
    expect(issued.headers.location).to.equal(`/assignments/${id}?done=report.issue`);
  });

  it("asks the agency to confirm its final answer, while saving needs no confirmation", async () => {
    await markIssued(w, id); // no renderer in this world: the issued documents are marked as rendered
    await send(w, "clerk", id, { type: "delivery.recorded", channel: "email" });
    const { agent, csrf } = await pageAgent(w, "agency");
    const page = await agent.get(`/assignments/${id}`).expect(200);
    expect(visibleText(page.text)).to.match(/Hạn cơ quan phản hồi — nhắc trước \d+ ngày làm việc/);
    expect(codesIn(visibleText(page.text))).to.deep.equal([]);
    const recs = (await w.as("agency").get(`/api/v1/assignments/${id}`)).body.data.recommendations as Array<{
      id: string;
    }>;
    const answers = Object.fromEntries(recs.map((r) => [`answers[${r.id}][status]`, "accepted"]));
    const post = (extra: object) =>
      agent
        .post(`/assignments/${id}/events`)
        .type("form")
        .send({ _csrf: csrf, ...answers, ...extra });
    expect((await post({ type: "response.save" })).status).to.equal(303);
    const refused = await post({ type: "response.submit" });
    expect(refused.status).to.equal(400);
    expect(refused.text).to.contain('role="alert"');
    expect((await post({ type: "response.submit", confirm: "yes" })).status).to.equal(303);
  });
});
