/**
 * Leadership names who works on an assignment from its page (the form behind
 * POST /assignments/:id/staff), and the page lists them: a confidential order placed by an agency
 * becomes visible to the secretariat member named, and the change is on the record.
 */
import { expect } from "chai";
import { createWorld } from "../../support/testApp.js";
import { placeOrder } from "../../support/flows.js";
import { allowPageSignIn, pageAgent } from "../../support/pageAgent.js";

describe("the assignment page's staff form (phân công)", () => {
  it("lets leadership name and remove staff on a confidential order; others see the list or nothing", async () => {
    const w = await createWorld();
    await allowPageSignIn(w);
    const a = await placeOrder(w, { confidential: true, title: "Quy hoạch khu vực phòng thủ (mật)" });
    const secretariat = w.userFor("secretariat");
    // Before: the secretariat does not see the agency's confidential order at all.
    const hidden = await pageAgent(w, "secretariat");
    expect((await hidden.agent.get(`/assignments/${a.id}`)).status).to.equal(404);

    const lead = await pageAgent(w, "leadership");
    const page = await lead.agent.get(`/assignments/${a.id}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('id="staff"');
    expect(page.text).to.contain("Chưa phân công cán bộ nào");
    expect(page.text).to.match(new RegExp(`<option value="${secretariat.id}">`));

    const named = await lead.agent
      .post(`/assignments/${a.id}/staff`)
      .type("form")
      .send({ _csrf: lead.csrf, add: secretariat.id, note: "Ban TVPB chủ trì thẩm định hồ sơ mật." });
    expect(named.status, named.text.slice(0, 300)).to.equal(303);
    expect(named.headers.location).to.equal(`/assignments/${a.id}?done=staff.add#staff`);

    const seen = await hidden.agent.get(`/assignments/${a.id}`);
    expect(seen.status, "the named secretariat member now sees it").to.equal(200);
    expect(seen.text).to.contain('id="staff"');
    expect(seen.text).to.contain(secretariat.fullName);
    expect(seen.text, "only leadership gets the form").to.not.contain(`action="/assignments/${a.id}/staff"`);

    // A person who is not staff is refused on the page, with the message, and nothing changes.
    const bad = await lead.agent
      .post(`/assignments/${a.id}/staff`)
      .type("form")
      .send({ _csrf: lead.csrf, add: w.userFor("agency").id });
    expect(bad.status).to.equal(400);
    expect(bad.text).to.contain('id="staff-err"');

    // Only leadership may change it, from the page too.
    const tried = await hidden.agent
      .post(`/assignments/${a.id}/staff`)
      .type("form")
      .send({ _csrf: hidden.csrf, remove: secretariat.id });
    expect(tried.status).to.equal(403);

    const removed = await lead.agent
      .post(`/assignments/${a.id}/staff`)
      .type("form")
      .send({ _csrf: lead.csrf, remove: secretariat.id, note: "Chuyển cán bộ khác." });
    expect(removed.status).to.equal(303);
    expect((await hidden.agent.get(`/assignments/${a.id}`)).status).to.equal(404);

    const hist = await w.as("leadership").get(`/api/v1/assignments/${a.id}/history`);
    const staffEvents = (hist.body.data as Array<{ event: string; payload: { userId?: string } }>)
      .filter((h) => h.event.startsWith("staff."))
      .map((h) => `${h.event}:${h.payload.userId === secretariat.id}`);
    expect(staffEvents).to.deep.equal(["staff.add:true", "staff.remove:true"]);

    // The agency sees its order but not who works on it.
    const agency = await pageAgent(w, "agency");
    const own = await agency.agent.get(`/assignments/${a.id}`);
    expect(own.status).to.equal(200);
    expect(own.text).to.not.contain('id="staff"');
  });
});
