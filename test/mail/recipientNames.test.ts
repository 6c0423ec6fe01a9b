/** Mail salutations name a person as Vietnamese letters do: academic title and degree before the name. */
import { expect } from "chai";
import { and, eq } from "drizzle-orm";
import { assignments, experts, users } from "../../server/db/schema.js";
import { resolveRecipients } from "../../server/effects/recipients.js";
import { createWorld } from "../support/testApp.js";
import { placeOrder } from "../support/flows.js";

describe("how mail recipients are named", () => {
  it("greets an expert's own account and the expert alike: 'PGS.TS. Nguyễn Thị Phương Thảo'", async () => {
    const w = await createWorld();
    await w.db.update(experts).set({ academicTitle: "PGS." }).where(eq(experts.id, w.experts[0].id));
    const order = await placeOrder(w);
    const [a] = await w.db.select().from(assignments).where(eq(assignments.id, order.id));
    const [account] = await w.db
      .select()
      .from(users)
      .where(and(eq(users.organizationId, w.org.id), eq(users.expertId, w.experts[0].id)));
    const [byAccount] = await resolveRecipients(w.db, a, { userId: account.id }, a.id);
    const [byExpert] = await resolveRecipients(w.db, a, { expertId: w.experts[0].id }, a.id);
    expect(byAccount.name).to.equal(`PGS.TS. ${w.experts[0].fullName}`);
    expect(byExpert.name).to.equal(byAccount.name);
    const [staff] = await resolveRecipients(w.db, a, "secretariat", a.id);
    expect(staff.name).to.equal(w.userFor("secretariat").fullName);
  });
});
