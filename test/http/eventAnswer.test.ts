import { expect } from "chai";
import { createWorld } from "../support/testApp.js";
import { placeOrder } from "../support/flows.js";

describe("the answer to an event", () => {
  it("says by default only what changed: state, version and the events this actor may send next", async () => {
    const w = await createWorld();
    const a = await placeOrder(w);
    const res = await w.as("clerk").post(`/api/v1/assignments/${a.id}/events`, { type: "order.register" });
    expect(res.status).to.equal(200);
    expect(res.headers["preference-applied"]).to.equal("return=minimal");
    expect(res.body.data).to.include({
      id: a.id,
      code: a.code,
      state: "screening.reviewing",
      version: a.version + 1,
      waitingOn: "secretariat",
    });
    expect(res.body.data).to.not.have.any.keys("timeline", "history", "deadlines", "snapshot");
    expect(res.body.data.links.self).to.equal(`/api/v1/assignments/${a.id}`);
    // The same next events as the detail shows this actor.
    const detail = (await w.as("clerk").get(`/api/v1/assignments/${a.id}`)).body.data;
    expect(res.body.data.can.map((c: { type: string }) => c.type)).to.deep.equal(
      detail.can.map((c: { type: string }) => c.type),
    );
    const asSecretariat = await w
      .as("secretariat")
      .post(`/api/v1/assignments/${a.id}/events`, { type: "order.proposeAccept", note: "Đúng phạm vi." });
    expect(asSecretariat.body.data.state).to.equal("screening.proposedAccept");
    expect(asSecretariat.body.data.stateLabel).to.be.a("string").and.not.equal("screening.proposedAccept");
  });

  it("answers with the whole assignment when asked with Prefer: return=representation", async () => {
    const w = await createWorld();
    const a = await placeOrder(w);
    const res = await w
      .as("clerk")
      .post(`/api/v1/assignments/${a.id}/events`, { type: "order.register" })
      .set("Prefer", "return=representation");
    expect(res.status).to.equal(200);
    expect(res.headers["preference-applied"]).to.equal("return=representation");
    const detail = (await w.as("clerk").get(`/api/v1/assignments/${a.id}`)).body.data;
    expect(res.body.data).to.deep.equal(detail);
  });
});
