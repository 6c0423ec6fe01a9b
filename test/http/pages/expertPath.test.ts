/**
 * An expert's path (issue 14 §3) on the assignment page: what happens next and when, and one
 * review deadline — the expert's own — named the same on the assignment page and the opinion form.
 */
import { expect } from "chai";
import { createWorld, type World } from "../../support/testApp.js";
import { accept, placeOrder, send, toPlanning } from "../../support/flows.js";
import { allowPageSignIn, pageAgent } from "../../support/pageAgent.js";

describe("an expert's path", () => {
  let w: World;
  let id = "";
  before(async () => {
    w = await createWorld();
    await allowPageSignIn(w);
    id = (await placeOrder(w, { forms: ["council"] })).id;
    await toPlanning(w, id);
    await send(w, "secretariat", id, {
      type: "plan.submit",
      workPlan: "15 ngày nhận xét.",
      costEstimate: 1,
      reviewDays: 15,
    });
    const members = [0, 1, 2].map((i) => ({ expertId: w.experts[i].id, role: i === 0 ? "chair" : "member" }));
    await send(w, "secretariat", id, { type: "panel.invite", members });
    for (const i of [0, 1, 2]) await accept(w, id, i);
  });

  it("tells an expert who accepted that the opinion form opens when the panel is approved, and in how many days it is due", async () => {
    const { agent } = await pageAgent(w, "expert0");
    const page = await agent.get(`/assignments/${id}`).expect(200);
    expect(page.text).to.contain('id="next-h"');
    expect(page.text).to.contain("Hạn gửi ý kiến là 15 ngày kể từ ngày phê duyệt");
  });

  it("shows the expert one review deadline, theirs, the same on the assignment page and the opinion form", async () => {
    await send(w, "secretariat", id, { type: "panel.submit" });
    await send(w, "leadership", id, { type: "panel.approve" });
    const { agent } = await pageAgent(w, "expert1");
    const page = await agent.get(`/assignments/${id}`).expect(200);
    const dl = /<section class="card" aria-labelledby="dl-h">([\s\S]*?)<\/section>/.exec(page.text)![1];
    const mine = [...dl.matchAll(/Hạn gửi ý kiến của bạn: ([0-9/: ]+)/g)].map((m) => m[1].trim());
    expect(mine).to.have.length(1);
    expect(dl).to.not.match(/Hạn gửi ý kiến —/);
    expect(page.text).to.contain(`href="/assignments/${id}/opinion"`);
    const form = await agent.get(`/assignments/${id}/opinion`).expect(200);
    expect(form.text).to.contain(`Hạn gửi ý kiến của bạn: ${mine[0]}`);
  });
});
