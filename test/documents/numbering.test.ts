import { expect } from "chai";
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { assignmentStaff, documents, organizations, registers } from "../../server/db/schema.js";
import { allocateNumber } from "../../server/numbering/allocateNumber.js";
import { registerFor, registerYear } from "../../server/numbering/registers.js";
import { DEFAULT_SETTINGS } from "../../server/settings.js";
import { testDatabase } from "../support/db.js";
import { createWorld } from "../support/testApp.js";
import { placeOrder, send, toPlanning } from "../support/flows.js";

async function newOrg() {
  const { db } = await testDatabase();
  const tag = randomUUID().slice(0, 8);
  const [org] = await db
    .insert(organizations)
    .values({ slug: `num-${tag}`, name: `Liên hiệp hội ${tag}`, shortName: "LHH", settings: DEFAULT_SETTINGS })
    .returning();
  return org;
}

const plan = {
  type: "plan.submit",
  workPlan: "Họp Hội đồng; 15 ngày nhận xét.",
  costEstimate: 30000000,
  reviewDays: 15,
};

describe("numbering registers", () => {
  it("gives 100 concurrent issues on one register the numbers 01…100 with no gap or duplicate", async function () {
    this.timeout(60_000);
    const { db } = await testDatabase();
    const org = await newOrg();
    // 100 transactions at once: on PostgreSQL they really run concurrently (the register row
    // lock queues them); PGlite serialises them.
    const numbers = await Promise.all(
      Array.from({ length: 100 }, () => db.transaction((tx) => allocateNumber(tx, org.id, "BC", 2026))),
    );
    expect([...numbers].sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 100 }, (_, i) => i + 1));
    const [row] = await db
      .select()
      .from(registers)
      .where(and(eq(registers.organizationId, org.id), eq(registers.register, "BC")));
    expect(row.lastNumber).to.equal(100);
  });

  it("gives a number back when the issuing transaction rolls back", async () => {
    const { db } = await testDatabase();
    const org = await newOrg();
    expect(await db.transaction((tx) => allocateNumber(tx, org.id, "QĐ", 2026))).to.equal(1);
    const err = await db
      .transaction(async (tx) => {
        expect(await allocateNumber(tx, org.id, "QĐ", 2026)).to.equal(2);
        throw new Error("rendering the decision failed");
      })
      .catch((e: unknown) => e);
    expect((err as Error).message).to.equal("rendering the decision failed");
    expect(await db.transaction((tx) => allocateNumber(tx, org.id, "QĐ", 2026))).to.equal(2);
  });

  it("keeps registers apart per organisation, register and year", async () => {
    const { db } = await testDatabase();
    const [a, b] = [await newOrg(), await newOrg()];
    const take = (org: string, reg: string, year: number) => db.transaction((tx) => allocateNumber(tx, org, reg, year));
    expect(await take(a.id, "BC", 2026)).to.equal(1);
    expect(await take(a.id, "BC", 2026)).to.equal(2);
    expect(await take(b.id, "BC", 2026)).to.equal(1);
    expect(await take(a.id, "CV", 2026)).to.equal(1);
    expect(await take(a.id, "BC-MAT", 2026)).to.equal(1);
    expect(await take(a.id, "BC", 2027)).to.equal(1);
  });

  it("numbers by the Vietnam calendar year: 23:59 on 31 December and 00:00 on 1 January", () => {
    expect(registerYear(new Date("2026-12-31T16:59:59Z"))).to.equal(2026); // 23:59:59 on 31/12 in Vietnam
    expect(registerYear(new Date("2026-12-31T17:00:00Z"))).to.equal(2027); // 00:00 on 01/01 in Vietnam
    expect(registerFor("finalReport", false)).to.equal("BC");
    expect(registerFor("finalReport", true)).to.equal("BC-MAT");
    expect(registerFor("coverLetter", false)).to.equal("CV");
  });

  it("restarts at 01 for a document issued on 1 January Vietnam time, while 31 December keeps the old year", async function () {
    this.timeout(30_000);
    // 23:30 on 31/12/2026 in Vietnam (16:30 UTC).
    const w = await createWorld({ start: "2026-12-31T16:30:00Z" });
    const first = await placeOrder(w);
    await toPlanning(w, first.id);
    await send(w, "secretariat", first.id, plan);
    const second = await placeOrder(w);
    await toPlanning(w, second.id);
    w.clock.set(new Date("2026-12-31T17:30:00Z")); // 00:30 on 01/01/2027 in Vietnam
    await send(w, "secretariat", second.id, plan);
    const third = await placeOrder(w);
    await toPlanning(w, third.id);
    await send(w, "secretariat", third.id, plan);
    const letters = await w.db
      .select()
      .from(documents)
      .where(and(eq(documents.organizationId, w.org.id), eq(documents.kind, "acceptanceLetter")));
    const of = (id: string) => letters.find((d) => d.assignmentId === id)!;
    expect([of(first.id).year, of(first.id).number]).to.deep.equal([2026, 1]);
    expect([of(second.id).year, of(second.id).number]).to.deep.equal([2027, 1]);
    expect([of(third.id).year, of(third.id).number]).to.deep.equal([2027, 2]);
  });

  it("numbers a confidential assignment's documents in their own register", async () => {
    const w = await createWorld();
    const open = await placeOrder(w);
    await toPlanning(w, open.id);
    await send(w, "secretariat", open.id, plan);
    const secret = await placeOrder(w, {
      confidential: true,
      title: "Quy hoạch chung đô thị Na Hang đến năm 2045 (phụ lục mật)",
    });
    // Only the staff working on a confidential assignment see it.
    await w.db.insert(assignmentStaff).values(
      (["clerk", "secretariat", "leadership"] as const).map((r) => ({
        assignmentId: secret.id,
        userId: w.userFor(r).id,
        organizationId: w.org.id,
      })),
    );
    await toPlanning(w, secret.id);
    await send(w, "secretariat", secret.id, plan);
    const letters = await w.db
      .select()
      .from(documents)
      .where(and(eq(documents.organizationId, w.org.id), eq(documents.kind, "acceptanceLetter")));
    const of = (id: string) => letters.find((d) => d.assignmentId === id)!;
    expect([of(open.id).register, of(open.id).number]).to.deep.equal(["CV", 1]);
    expect([of(secret.id).register, of(secret.id).number]).to.deep.equal(["CV-MAT", 1]);
  });
});
