import { expect } from "chai";
import request from "supertest";
import { createWorld, silentLogger } from "../support/testApp.js";
import { createApp } from "../../server/app.js";
import { EVENT_SCHEMAS } from "../../server/http/schemas.js";

describe("operations and the API description", () => {
  it("answers health and readiness, and echoes or assigns a request id", async () => {
    const w = await createWorld();
    const h = await request(w.app).get("/healthz");
    expect(h.status).to.equal(200);
    expect(h.headers["x-request-id"]).to.match(/^[0-9a-f-]{36}$/);
    const r = await request(w.app).get("/readyz").set("X-Request-Id", "req-12345");
    expect(r.status).to.equal(200);
    expect(r.body.status).to.equal("ready");
    expect(r.headers["x-request-id"]).to.equal("req-12345");
  });

  it("publishes an OpenAPI 3.1 document generated from the schemas the routes validate with", async () => {
    const w = await createWorld();
    const res = await request(w.app).get("/api/v1/openapi.json");
    expect(res.status).to.equal(200);
    expect(res.body.openapi).to.equal("3.1.0");
    const events = res.body.paths["/assignments/{id}/events"].post.requestBody.content["application/json"].schema;
    const types = (events.oneOf ?? events.anyOf).map(
      (s: { properties: { type: { const: string } } }) => s.properties.type.const,
    );
    expect(types.sort()).to.deep.equal(Object.keys(EVENT_SCHEMAS).sort());
    const order = res.body.paths["/assignments"].post.requestBody.content["application/json"].schema;
    expect(order.required).to.include.members(["type", "forms", "subjectKind", "title"]);
    const page = await request(w.app).get("/api/docs");
    expect(page.status).to.equal(200);
    expect(page.text).to.contain("/api/v1/openapi.json");
  });

  it("never leaks a stack trace: an unexpected failure is a 500 internal_error with the request id", async () => {
    const w = await createWorld();
    const broken = new Proxy(w.db, {
      get: (t, k) =>
        k === "select" || k === "execute"
          ? () => {
              throw new Error("connection reset at server/db/connect.ts:42");
            }
          : Reflect.get(t, k),
    });
    const app = createApp({
      db: broken,
      database: w.database,
      clock: w.clock,
      logger: silentLogger,
      publicUrl: "http://tvpb.test",
    });
    const res = await request(app)
      .get("/api/v1/assignments")
      .set("Authorization", "Bearer tvpb_whatever")
      .set("X-Request-Id", "req-500");
    expect(res.status).to.equal(500);
    expect(res.body.error.code).to.equal("internal_error");
    expect(res.body.error.requestId).to.equal("req-500");
    expect(JSON.stringify(res.body)).not.to.contain("connect.ts");
  });

  it("lists each assignment's allowed events with their payload schema", async () => {
    const w = await createWorld();
    const res = await w.as("agency").post("/api/v1/assignments", {
      type: "assessment",
      forms: ["council", "workshop"],
      subjectKind: "project",
      title: "Báo cáo nghiên cứu khả thi dự án hồ chứa nước Khuổi Lừa, ảnh hưởng 250 hộ dân",
      orderNumber: "88/SNNMT",
      orderDate: "2026-02-10",
    });
    const clerk = (await w.as("clerk").get(`/api/v1/assignments/${res.body.data.id}`)).body.data;
    expect(clerk.can.map((c: { type: string }) => c.type)).to.deep.equal(["order.register"]);
    const agency = (await w.as("agency").get(`/api/v1/assignments/${res.body.data.id}`)).body.data;
    expect(agency.can.map((c: { type: string }) => c.type)).to.deep.equal(["assignment.withdraw"]);
    expect(agency.can[0].schema.required).to.include("reason");
    expect(agency.waitingOn).to.equal("clerk");
  });

  it("answers in the user's language: Vietnamese by default, English when asked, with the same stable code", async () => {
    const w = await createWorld();
    const vi = await w.as("agency").get("/api/v1/assignments/00000000-0000-0000-0000-000000000000");
    expect(vi.status).to.equal(404);
    expect(vi.body.error.code).to.equal("assignment_not_found");
    expect(vi.body.error.message).to.match(/Không tìm thấy/);
    const en = await request(w.app).get("/api/v1/assignments").set("Accept-Language", "en-GB,en;q=0.9");
    expect(en.status).to.equal(401);
    expect(en.body.error.code).to.equal("unauthenticated");
    expect(en.body.error.message).to.equal("Please sign in.");
    // Through the administrator, as the product changes it (a cached token sees it at once).
    const patched = await w.as("admin").patch(`/api/v1/users/${w.userFor("agency").id}`, { locale: "en" });
    expect(patched.status, JSON.stringify(patched.body)).to.equal(200);
    const mine = await w.as("agency").get("/api/v1/assignments/00000000-0000-0000-0000-000000000000");
    expect(mine.body.error.code).to.equal("assignment_not_found");
    expect(mine.body.error.message).to.equal("Assignment not found.");
  });
});
