import { expect } from "chai";
import request from "supertest";
import { count, eq } from "drizzle-orm";
import { assignments, dossierFiles, history } from "../../server/db/schema.js";
import { createWorld, orderBody, type World } from "../support/testApp.js";
import { placeOrder, send, toPlanning } from "../support/flows.js";

/** What a refused write must leave untouched. */
async function footprint(w: World, id: string) {
  const [a] = await w.db
    .select({ version: assignments.version, state: assignments.state })
    .from(assignments)
    .where(eq(assignments.id, id));
  const [h] = await w.db.select({ n: count() }).from(history).where(eq(history.assignmentId, id));
  const [f] = await w.db.select({ n: count() }).from(dossierFiles).where(eq(dossierFiles.assignmentId, id));
  return { ...a, history: Number(h.n), files: Number(f.n) };
}

function expectError(res: request.Response, status: number, code: string, field?: string) {
  expect(res.status, JSON.stringify(res.body)).to.equal(status);
  expect(res.body.error.code, JSON.stringify(res.body)).to.equal(code);
  if (field) expect(res.body.error.field).to.equal(field);
}

const tokenOf = (w: World, who: "agency" | "secretariat") => w.tokens[w.userFor(who).id];

describe("bad input is refused with a stable error and no partial write", () => {
  let w: World;
  beforeEach(async () => {
    w = await createWorld();
  });

  it("refuses an order without a title, with a budget as a string, without forms or with an unknown property", async () => {
    const [{ n: before }] = await w.db
      .select({ n: count() })
      .from(assignments)
      .where(eq(assignments.organizationId, w.org.id));
    const { title: _t, ...noTitle } = orderBody();
    expectError(await w.as("agency").post("/api/v1/assignments", noTitle), 400, "validation_failed", "title");
    expectError(
      await w.as("agency").post("/api/v1/assignments", orderBody({ title: "   " })),
      400,
      "validation_failed",
      "title",
    );
    expectError(
      await w.as("agency").post("/api/v1/assignments", orderBody({ budget: "45000000" })),
      400,
      "validation_failed",
      "budget",
    );
    expectError(
      await w.as("agency").post("/api/v1/assignments", orderBody({ forms: [] })),
      400,
      "validation_failed",
      "forms",
    );
    expectError(
      await w.as("agency").post("/api/v1/assignments", orderBody({ forms: ["tea_party"] })),
      400,
      "validation_failed",
    );
    const unknown = await w.as("agency").post("/api/v1/assignments", orderBody({ isAdmin: true }));
    expect(unknown.status).to.equal(400);
    expect(unknown.body.error.code).to.equal("validation_failed");
    const [{ n: after }] = await w.db
      .select({ n: count() })
      .from(assignments)
      .where(eq(assignments.organizationId, w.org.id));
    expect(Number(after)).to.equal(Number(before));
  });

  it(
    "refuses unknown events, events in the wrong state, rule violations and bad payloads without changing the " +
      "assignment",
    async () => {
      const a = await placeOrder(w);
      const base = await footprint(w, a.id);
      const ev = (who: "agency" | "secretariat" | "clerk" | "leadership", body: object) =>
        w.as(who).post(`/api/v1/assignments/${a.id}/events`, body);
      expectError(await ev("secretariat", { type: "order.teleport" }), 400, "unknown_event", "type");
      expectError(await ev("secretariat", {}), 400, "validation_failed", "type");
      expectError(await ev("secretariat", { type: 42 }), 400, "validation_failed", "type");
      expectError(await ev("secretariat", { type: "order.register", extra: 1 }), 400, "validation_failed");
      expectError(
        await ev("secretariat", { type: "documents.request", missingDocuments: "Tờ trình" }),
        400,
        "validation_failed",
        "missingDocuments",
      );
      expectError(
        await ev("secretariat", { type: "order.register", expectedVersion: "1" }),
        400,
        "validation_failed",
        "expectedVersion",
      );
      expectError(await ev("leadership", { type: "order.accept" }), 409, "event_not_allowed");
      expectError(await ev("secretariat", { type: "order.proposeAccept" }), 409, "event_not_allowed");
      expect(await footprint(w, a.id)).to.deep.equal(base);

      await toPlanning(w, a.id);
      await send(w, "secretariat", a.id, { type: "plan.submit", workPlan: "Kế hoạch", costEstimate: 1000000 });
      const planned = await footprint(w, a.id);
      expectError(await ev("secretariat", { type: "panel.submit" }), 409, "rule_violated");
      expectError(
        await ev("secretariat", {
          type: "panel.invite",
          members: [
            { expertId: w.experts[0].id, role: "chair" },
            { expertId: w.experts[0].id, role: "member" },
          ],
        }),
        409,
        "rule_violated",
      );
      expectError(
        await ev("secretariat", { type: "order.register", expectedVersion: planned.version - 1 }),
        409,
        "stale_version",
      );
      expect(await footprint(w, a.id)).to.deep.equal(planned);
    },
  );

  it("refuses malformed JSON with 400 and a body over 1 MB with 413", async () => {
    const a = await placeOrder(w);
    const base = await footprint(w, a.id);
    const raw = await request(w.app)
      .post(`/api/v1/assignments/${a.id}/events`)
      .set("Authorization", `Bearer ${tokenOf(w, "secretariat")}`)
      .set("Content-Type", "application/json")
      .send('{"type":');
    expectError(raw, 400, "malformed_json");
    const big = await w
      .as("secretariat")
      .post(`/api/v1/assignments/${a.id}/events`, { type: "order.register", note: "x".repeat(1_100_000) });
    expectError(big, 413, "payload_too_large");
    const bigOrder = await w.as("agency").post("/api/v1/assignments", orderBody({ summary: "y".repeat(1_100_000) }));
    expectError(bigOrder, 413, "payload_too_large");
    expect(await footprint(w, a.id)).to.deep.equal(base);
  });

  it("refuses oversized, forbidden, disguised and missing uploads and bad kinds without storing anything", async () => {
    const a = await placeOrder(w);
    const base = await footprint(w, a.id);
    const up = () => w.as("agency").upload(`/api/v1/assignments/${a.id}/files`);
    const pdf = Buffer.from("%PDF-1.4\n% dự thảo\n");
    const huge = Buffer.alloc(20 * 1024 * 1024 + 1, 0x20);
    huge.write("%PDF-1.4\n");
    expectError(await up().field("kind", "draft").attach("file", huge, "Du-thao.pdf"), 413, "payload_too_large");
    expectError(
      await up().field("kind", "draft").attach("file", Buffer.from("MZ\x90\x00\x03\x00"), "setup.exe"),
      415,
      "file_type_not_allowed",
    );
    expectError(
      await up().field("kind", "draft").attach("file", Buffer.from("\x7fELF\x02\x01\x01\x00"), "Du-thao.pdf"),
      415,
      "file_type_mismatch",
    );
    expectError(
      await up().field("kind", "draft").attach("file", Buffer.from("MZ\x90\x00\x03\x00"), "Du-thao.pdf"),
      415,
      "file_type_mismatch",
    );
    expectError(
      await up()
        .field("kind", "draft")
        .attach("file", Buffer.from("<!doctype html><script>alert(1)</script>"), "Du-thao.pdf"),
      415,
      "file_type_mismatch",
    );
    expectError(await up().field("kind", "draft"), 400, "file_required", "file");
    const badKind = await up().field("kind", "selfie").attach("file", pdf, "Du-thao.pdf");
    expect(badKind.status, JSON.stringify(badKind.body)).to.equal(400);
    expect(badKind.body.error.field).to.equal("kind");
    expect(await footprint(w, a.id)).to.deep.equal(base);
    const ok = await up().field("kind", "draft").attach("file", pdf, "Du-thao.pdf");
    expect(ok.status, JSON.stringify(ok.body)).to.equal(201);
    expect((await footprint(w, a.id)).files).to.equal(base.files + 1);
  });

  it("answers 404 for ids that are not UUIDs and for unknown routes", async () => {
    const notId = await w.as("secretariat").get("/api/v1/assignments/not-a-uuid");
    expectError(notId, 404, "assignment_not_found");
    expectError(
      await w.as("secretariat").post("/api/v1/assignments/123/events", { type: "order.register" }),
      404,
      "assignment_not_found",
    );
    expectError(await w.as("secretariat").get("/api/v1/assignments/' or 1=1 --/history"), 404, "assignment_not_found");
    expectError(await w.as("secretariat").get("/api/v1/no-such-thing"), 404, "route_not_found");
    expectError(await w.as("secretariat").delete("/api/v1/assignments"), 404, "route_not_found");
  });
});
