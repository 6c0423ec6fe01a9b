/**
 * Never lose work (issue 14 §2): the opinion, report and response forms save themselves in the
 * background through their own save endpoints (autosave=1 → JSON with the time of the save), the
 * opinion's conclusion is never chosen for the expert, and the final submission asks for a
 * confirmation while keeping the draft when it is refused.
 */
import { expect } from "chai";
import { and, asc, eq } from "drizzle-orm";
import { history, opinionVersions, reportVersions } from "../../../server/db/schema.js";
import { createWorld, opinionBody, type World } from "../../support/testApp.js";
import { placeOrder, send, submitOpinions, toReview, toPlanning } from "../../support/flows.js";
import { allowPageSignIn, pageAgent } from "../../support/pageAgent.js";

describe("never lose work", () => {
  let w: World;
  let id = "";
  before(async () => {
    w = await createWorld();
    await allowPageSignIn(w);
    id = (await placeOrder(w, { forms: ["council"] })).id;
    await toPlanning(w, id);
    await toReview(w, id, 3);
  });

  const draftsOf = (expert: number) =>
    w.db
      .select()
      .from(opinionVersions)
      .where(and(eq(opinionVersions.assignmentId, id), eq(opinionVersions.expertId, w.experts[expert].id)));

  it("offers no conclusion chosen in advance and marks the form for autosave", async () => {
    const { agent } = await pageAgent(w, "expert0");
    const page = await agent.get(`/assignments/${id}/opinion`).expect(200);
    const select = /<select id="conclusion"[^>]*>([\s\S]*?)<\/select>/.exec(page.text)![1];
    expect(select).to.match(/^<option value="">/);
    expect(select).to.not.contain("selected");
    expect(page.text).to.match(/<form [^>]*id="opinion-form" data-autosave/);
    expect(page.text).to.contain('<script src="/static/app.js"');
  });

  it("autosaves a long draft without a conclusion and answers with the time of the save", async () => {
    const { agent, csrf } = await pageAgent(w, "expert0");
    const general = "Đề án cần thiết. ".repeat(170); // about 2,700 characters, as in the issue
    const res = await agent
      .post(`/assignments/${id}/opinion`)
      .type("form")
      .set("Accept", "application/json")
      .send({ _csrf: csrf, autosave: "1", action: "save", general, conclusion: "", recommendations: "" });
    expect(res.status, res.text).to.equal(200);
    expect(res.body.data.message).to.match(/^Đã tự động lưu lúc \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}\.$/);
    const [draft] = await draftsOf(0);
    expect(draft.status).to.equal("draft");
    expect((draft.content as { general: string }).general).to.have.length(general.length);
    const page = await agent.get(`/assignments/${id}/opinion`).expect(200);
    expect(page.text).to.contain("Lần lưu gần nhất:");
    expect(page.text).to.contain("Đề án cần thiết. Đề án cần thiết.");
  });

  it("keeps the draft but does not submit without the confirmation or without a conclusion", async () => {
    const { agent, csrf } = await pageAgent(w, "expert1");
    const form = { _csrf: csrf, general: "Nhận xét chung.", recommendations: "", action: "submit" };
    const noConfirm = await agent
      .post(`/assignments/${id}/opinion`)
      .type("form")
      .send({ ...form, conclusion: "agree" });
    expect(noConfirm.status).to.equal(400);
    expect(noConfirm.text).to.contain("Hãy đánh dấu ô xác nhận");
    expect((await draftsOf(1)).map((d) => d.status)).to.deep.equal(["draft"]);
    const noConclusion = await agent
      .post(`/assignments/${id}/opinion`)
      .type("form")
      .send({ ...form, conclusion: "", confirm: "yes" });
    expect(noConclusion.status).to.equal(400);
    expect((await draftsOf(1)).map((d) => d.status)).to.deep.equal(["draft"]);
    const ok = await agent
      .post(`/assignments/${id}/opinion`)
      .type("form")
      .send({ ...form, conclusion: "agree", confirm: "yes" });
    expect(ok.status).to.equal(303);
    expect((await draftsOf(1)).map((d) => d.status)).to.deep.equal(["submitted"]);
  });

  it("autosaves the report in place until leadership has seen it, and keeps the returned version", async () => {
    await w.as("expert0").put(`/api/v1/assignments/${id}/opinion`, opinionBody(0)).expect(200);
    await w.as("expert0").post(`/api/v1/assignments/${id}/opinion/submit`).expect(200);
    await submitOpinions(w, id, [2]);
    await send(w, "secretariat", id, { type: "review.close" });
    const { agent, csrf } = await pageAgent(w, "secretariat");
    const autosave = (rec: string) =>
      agent
        .post(`/assignments/${id}/report`)
        .type("form")
        .set("Accept", "application/json")
        .send({ _csrf: csrf, autosave: "1", conclusion: "fit", "recommendations[0][text]": rec });
    const versions = async () =>
      (
        await w.db
          .select()
          .from(reportVersions)
          .where(eq(reportVersions.assignmentId, id))
          .orderBy(asc(reportVersions.version))
      ).map((v) => [v.version, (v.content as { recommendations: Array<{ text: string }> }).recommendations[0].text]);
    const drafted = async () =>
      (await w.db.select().from(history).where(eq(history.assignmentId, id))).filter(
        (h) => h.eventType === "report.drafted",
      ).length;
    expect((await autosave("Kiến nghị A")).status).to.equal(200);
    expect((await autosave("Kiến nghị A, sửa")).status).to.equal(200);
    expect(await versions()).to.deep.equal([[1, "Kiến nghị A, sửa"]]);
    expect(await drafted()).to.equal(1);
    await send(w, "secretariat", id, { type: "report.submit" });
    await send(w, "expert0", id, { type: "report.endorse" });
    await send(w, "leadership", id, { type: "report.return", comments: "Cần cụ thể hơn." });
    expect((await autosave("Kiến nghị B")).status).to.equal(200);
    expect(await versions()).to.deep.equal([
      [1, "Kiến nghị A, sửa"],
      [2, "Kiến nghị B"],
    ]);
    const page = await agent.get(`/assignments/${id}/report`).expect(200);
    expect(page.text).to.match(/<form [^>]*id="report-form" data-autosave/);
    expect(page.text).to.contain("Lần lưu gần nhất:");
  });

  it("answers an autosave it refuses as JSON, so the page keeps what was typed", async () => {
    const { agent, csrf } = await pageAgent(w, "agency");
    const res = await agent
      .post(`/assignments/${id}/events`)
      .type("form")
      .set("Accept", "application/json")
      .send({ _csrf: csrf, autosave: "1", type: "response.save" });
    expect(res.status).to.be.within(400, 409);
    expect(res.body.error.code).to.be.a("string");
  });
});
