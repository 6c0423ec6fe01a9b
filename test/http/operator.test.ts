/**
 * The installation operator (issue 11 §2): above the Unions and in none. Creates, renames,
 * suspends and re-activates Unions and creates their first administrators; reads nothing of a
 * Union's work (403 operator_not_in_union). A suspended Union cannot sign in, and its tokens stop.
 */
import { expect } from "chai";
import { randomUUID } from "node:crypto";
import request from "supertest";
import { createOperator } from "../../server/commands/createOperator.js";
import { createWorld } from "../support/testApp.js";
import { placeOrder, send, submitOpinions, toClosed, toIssuing, toPlanning, toReview } from "../support/flows.js";

const PASSWORD = "Van-hanh#2026-an-toan";

describe("the installation operator", function () {
  this.timeout(600_000);

  async function operatorOf(w: Awaited<ReturnType<typeof createWorld>>) {
    const email = `vanhanh-${randomUUID().slice(0, 8)}@tvpb.test`;
    await createOperator(w.db, { input: { email, fullName: "Người vận hành", password: PASSWORD } });
    const agent = request.agent(w.app);
    const login = await agent.post("/api/v1/operator/auth/login").send({ email, password: PASSWORD });
    expect(login.status, JSON.stringify(login.body)).to.equal(200);
    const csrf = login.body.data.csrfToken as string;
    return {
      agent,
      get: (url: string) => agent.get(url),
      post: (url: string, body: object = {}) => agent.post(url).set("x-csrf-token", csrf).send(body),
      patch: (url: string, body: object) => agent.patch(url).set("x-csrf-token", csrf).send(body),
    };
  }

  it("creates a Union with its first administrator, renames, suspends and re-activates it", async () => {
    const w = await createWorld();
    const op = await operatorOf(w);
    const tag = randomUUID().slice(0, 6);
    const union = {
      name: "Liên hiệp các Hội KH&KT tỉnh Lào Cai",
      shortName: "LHH",
      place: "Lào Cai",
      province: "Lào Cai",
      slug: `lao-cai-${tag}`,
      admin: { email: `quantri-${tag}@laocai.vn`, fullName: "Lò Văn Quản", password: "yếu" },
    };
    const weak = await op.post("/api/v1/operator/unions", union);
    expect(weak.status).to.equal(400);
    expect(weak.body.error.code).to.equal("weak_password");
    const made = await op.post("/api/v1/operator/unions", { ...union, admin: { ...union.admin, password: PASSWORD } });
    expect(made.status, JSON.stringify(made.body)).to.equal(201);
    const id = made.body.data.id as string;
    expect(
      (await op.post("/api/v1/operator/unions", { ...union, admin: { ...union.admin, password: PASSWORD } })).status,
    ).to.equal(409);
    const list = await op.get("/api/v1/operator/unions");
    expect(list.body.data.map((u: { id: string }) => u.id)).to.include.members([id, w.org.id]);
    expect(JSON.stringify(list.body)).to.not.include("@");

    const login = () =>
      request(w.app).post("/api/v1/auth/login").send({ email: union.admin.email, password: PASSWORD });
    const admin = request.agent(w.app);
    const first = await admin.post("/api/v1/auth/login").send({ email: union.admin.email, password: PASSWORD });
    expect(first.status).to.equal(200);
    expect((await admin.get("/api/v1/settings")).body.data.settings.place).to.equal("Lào Cai");

    const renamed = await op.patch(`/api/v1/operator/unions/${id}`, {
      name: "Liên hiệp các Hội KH&KT tỉnh Lào Cai (mới)",
    });
    expect(renamed.body.data.name).to.match(/\(mới\)$/);

    expect((await op.post(`/api/v1/operator/unions/${id}/suspend`)).body.data.status).to.equal("suspended");
    const refused = await login();
    expect(refused.status).to.equal(403);
    expect(refused.body.error.code).to.equal("organization_suspended");
    expect((await admin.get("/api/v1/settings")).status, "the session stops too").to.equal(401);

    expect((await op.post(`/api/v1/operator/unions/${id}/reactivate`)).body.data.status).to.equal("active");
    expect((await login()).status).to.equal(200);

    const second = { email: `quantri2-${tag}@laocai.vn`, fullName: "Giàng A Hai", password: PASSWORD };
    expect((await op.post(`/api/v1/operator/unions/${id}/admins`, second)).status).to.equal(201);
  });

  it("reads no Union's assignments, documents or mail, and a Union's people cannot act as operator", async () => {
    const w = await createWorld();
    const a = await placeOrder(w);
    const op = await operatorOf(w);
    for (const url of [
      "/api/v1/assignments",
      `/api/v1/assignments/${a.id}`,
      `/api/v1/assignments/${a.id}/history`,
      `/api/v1/assignments/${a.id}/mail`,
      "/api/v1/documents",
      "/api/v1/users",
      "/api/v1/settings",
    ]) {
      const r = await op.get(url);
      expect(r.status, url).to.equal(403);
      expect(r.body.error.code, url).to.equal("operator_not_in_union");
    }
    expect((await op.post(`/api/v1/assignments/${a.id}/events`, { type: "order.register" })).status).to.equal(403);
    expect((await w.as("admin").get("/api/v1/operator/unions")).status).to.equal(401);
    expect((await request(w.app).get("/api/v1/operator/unions")).status).to.equal(401);
  });

  it("suspending a Union stops its API tokens", async () => {
    const w = await createWorld();
    const op = await operatorOf(w);
    expect((await w.as("secretariat").get("/api/v1/assignments")).status).to.equal(200);
    await op.post(`/api/v1/operator/unions/${w.org.id}/suspend`);
    expect((await w.as("secretariat").get("/api/v1/assignments")).status).to.equal(401);
    await op.post(`/api/v1/operator/unions/${w.org.id}/reactivate`);
    expect((await w.as("secretariat").get("/api/v1/assignments")).status).to.equal(200);
  });
});

describe("the national view", function () {
  this.timeout(600_000);

  it("gives the operator per-Union and total aggregates without titles or personal data", async () => {
    const w = await createWorld();
    const secret = "Đề án mật về quy hoạch vùng biên giới";
    await placeOrder(w, { title: secret, confidential: true });
    await placeOrder(w);
    const email = `vanhanh-${randomUUID().slice(0, 8)}@tvpb.test`;
    await createOperator(w.db, { input: { email, fullName: "Người vận hành", password: PASSWORD } });
    const agent = request.agent(w.app);
    await agent.post("/api/v1/operator/auth/login").send({ email, password: PASSWORD });
    const r = await agent.get("/api/v1/operator/national");
    expect(r.status).to.equal(200);
    const mine = r.body.data.unions.find((u: { unionId: string }) => u.unionId === w.org.id);
    expect(mine.assignments).to.equal(2);
    expect(mine.byType.critique).to.equal(2);
    expect(mine.byForm.council).to.equal(2);
    expect(mine.byState.ordered).to.equal(2);
    expect(r.body.data.total.assignments).to.be.at.least(2);
    const text = JSON.stringify(r.body);
    expect(text).to.not.include(secret);
    expect(text).to.not.include("@");
    expect((await w.as("admin").get("/api/v1/operator/national")).status).to.equal(401);
  });

  it("gives the average days of each stage and the adoption of recommendations", async () => {
    const w = await createWorld(); // Monday 02/03/2026 08:00 (Vietnam time)
    const a = await placeOrder(w, { forms: ["expert_group", "written"] });
    w.clock.set("2026-03-04T02:00:00Z"); // two days after the order
    await toPlanning(w, a.id); // ordered → screening → planning
    w.clock.set("2026-03-09T02:00:00Z");
    await toReview(w, a.id, 2);
    await submitOpinions(w, a.id, [0, 1]);
    await send(w, "secretariat", a.id, { type: "review.close" });
    await toIssuing(w, a.id, false);
    await toClosed(w, a.id); // two recommendations: one accepted, one partly
    const email = `vanhanh-${randomUUID().slice(0, 8)}@tvpb.test`;
    await createOperator(w.db, { input: { email, fullName: "Người vận hành", password: PASSWORD } });
    const agent = request.agent(w.app);
    await agent.post("/api/v1/operator/auth/login").send({ email, password: PASSWORD });
    const r = await agent.get("/api/v1/operator/national");
    expect(r.status).to.equal(200);
    const mine = r.body.data.unions.find((u: { unionId: string }) => u.unionId === w.org.id);
    expect(mine.stageDays.ordered, "ordered on 02/03, registered on 04/03").to.deep.equal({ days: 2, stays: 1 });
    expect(mine.stageDays.closed, "the stage it is still in has not ended").to.equal(undefined);
    expect(Object.keys(mine.stageDays)).to.include("underReview");
    expect(mine.byAnswer).to.deep.equal({ accepted: 1, partly: 1 });
    expect(mine.adoptionRate).to.equal(0.5);
    const page = await agent.get("/operator/national");
    expect(page.status).to.equal(200);
    expect(page.text).to.contain("Tỷ lệ kiến nghị được tiếp thu");
    expect(page.text).to.contain("Thời gian trung bình mỗi bước");
    expect(page.text).to.contain("Tiếp thu một phần: <strong>1</strong>");
  });
});
