import fs from "node:fs";
import { expect } from "chai";
import { eq, sql } from "drizzle-orm";
import { assignments } from "../../server/db/schema.js";
import { createWorld, orderBody } from "../support/testApp.js";
import { placeOrder } from "../support/flows.js";

const migration = new URL("../../server/db/migrations/0005_english_codes.sql", import.meta.url);

describe("codes in the API are English identifiers", () => {
  it("answers with English subject-kind and urgency codes and still takes the old Vietnamese slugs", async () => {
    const w = await createWorld();
    const fresh = await placeOrder(w, { subjectKind: "draft_resolution", urgency: "very_urgent" });
    expect(fresh.subjectKind).to.equal("draft_resolution");
    const old = await placeOrder(w, { subjectKind: "ke_hoach", urgency: "hoa_toc" });
    expect(old.subjectKind).to.equal("plan");
    const [row] = await w.db.select().from(assignments).where(eq(assignments.id, old.id));
    expect([row.subjectKind, row.urgency]).to.deep.equal(["plan", "immediate"]);
    const listed = await w.as("agency").get("/api/v1/assignments");
    expect(listed.body.data.find((a: { id: string }) => a.id === old.id).urgency).to.equal("immediate");
    const bad = await w.as("agency").post("/api/v1/assignments", orderBody({ subjectKind: "đề án" }));
    expect(bad.status).to.equal(400);
    expect(bad.body.error).to.include({ code: "validation_failed", field: "subjectKind" });
  });

  it("moves stored rows from the Vietnamese slugs to the English codes (migration 0005)", async () => {
    const w = await createWorld();
    const a = await placeOrder(w);
    const b = await placeOrder(w, { urgency: "urgent" });
    await w.db
      .update(assignments)
      .set({ subjectKind: "du_thao_van_ban", urgency: "thuong_khan" })
      .where(eq(assignments.id, a.id));
    await w.db.update(assignments).set({ subjectKind: "khac", urgency: null }).where(eq(assignments.id, b.id));
    for (const statement of fs.readFileSync(migration, "utf8").split("--> statement-breakpoint"))
      await w.db.execute(sql.raw(statement));
    const rows = await w.db.select().from(assignments).where(eq(assignments.organizationId, w.org.id));
    const byId = new Map(rows.map((r) => [r.id, [r.subjectKind, r.urgency]]));
    expect(byId.get(a.id)).to.deep.equal(["draft_document", "very_urgent"]);
    expect(byId.get(b.id)).to.deep.equal(["other", null]);
  });
});
