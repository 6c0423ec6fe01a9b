/** Issue 13 §5: bad data cannot stop the machine: names are one clean line; a message failed by data is retried. */
import { expect } from "chai";
import { eq } from "drizzle-orm";
import request from "supertest";
import { organizations, users } from "../../server/db/schema.js";
import { hashPassword } from "../../server/auth/passwords.js";
import { previewCsv } from "../../server/http/pages/forms/expertCsv.js";
import { updateSettings } from "../../server/commands/updateSettings.js";
import { createExpert } from "../../server/commands/registry.js";
import { actorFromUser } from "../../server/queries/findActor.js";
import { createWorld, type World } from "../support/testApp.js";
import { placeOrder, send } from "../support/flows.js";

const BROKEN = ["Liên hiệp hội\r\nBcc: x@evil.test", "Tên\nhai dòng", "Tên\u0000NUL", "Tên\u0007chuông", "A\u2028B"];

async function mailLog(w: World, id: string) {
  const res = await w.as("secretariat").get(`/api/v1/assignments/${id}/mail`);
  expect(res.status).to.equal(200);
  return res.body.data as Array<{ id: string; template: string; status: string; error: string | null }>;
}

describe("Names that reach mail headers (issue 13 §5)", () => {
  it("refuses a line break or control character in every name, on every path, with 400", async () => {
    const w = await createWorld();
    for (const bad of BROKEN) {
      const s = await w.as("admin").put("/api/v1/settings", {
        settings: { mail: { fromName: bad, fromAddress: "tvpb@test.vn" } },
      });
      expect(s.status, `settings ${JSON.stringify(bad)}`).to.equal(400);
      // A line break fails the schema; NUL and other controls are stopped before it, by the body guard.
      expect(s.body.error.code).to.be.oneOf(["validation_failed", "control_characters"]);
      expect(s.body.error.field).to.equal("settings.mail.fromName");
      const org = await w.as("admin").put("/api/v1/settings", { name: bad });
      expect(org.status).to.equal(400);
      const u = await w.as("admin").post("/api/v1/users", {
        email: `u${BROKEN.indexOf(bad)}@test.vn`,
        fullName: bad,
        roles: ["clerk"],
      });
      expect(u.status, `user ${JSON.stringify(bad)}`).to.equal(400);
      const pu = await w.as("admin").patch(`/api/v1/users/${w.userFor("clerk").id}`, { fullName: bad });
      expect(pu.status).to.equal(400);
      const e = await w.as("secretariat").post("/api/v1/experts", { fullName: bad });
      expect(e.status, `expert ${JSON.stringify(bad)}`).to.equal(400);
      const pe = await w.as("secretariat").patch(`/api/v1/experts/${w.experts[0].id}`, { fullName: bad });
      expect(pe.status).to.equal(400);
      const ag = await w.as("secretariat").post("/api/v1/agencies", { name: bad });
      expect(ag.status).to.equal(400);
    }
    // The commands refuse them too, whoever calls them (a page, the import worker, a script).
    const admin = actorFromUser(w.userFor("admin"));
    const mail = { fromName: "LHH\r\nBcc: x@evil.test", fromAddress: "tvpb@test.vn" };
    const err = await updateSettings(w.db, { actor: admin, input: { settings: { mail } } }).catch((e) => e);
    expect(err.code).to.equal("validation_failed");
    expect(err.field).to.equal("mail.fromName");
    const err2 = await createExpert(w.db, { actor: admin, input: { fullName: "A\nB" } }).catch((e) => e);
    expect(err2.code).to.equal("validation_failed");
    // Nothing was stored.
    const [org] = await w.db.select().from(organizations).where(eq(organizations.id, w.org.id));
    expect((org.settings as { mail: { fromName: string } }).mail.fromName).to.equal("Liên hiệp hội");
  });

  it("refuses such names in a CSV or XLSX import row (the preview marks the row)", () => {
    const t = (k: string) => k;
    const csv = 'fullName,email\n"Nguyễn Văn A",a@test.vn\n"Trần\u0007B",b@test.vn\n"Lê\r\nC",c@test.vn\n';
    const p = previewCsv(csv, t as never);
    expect(p.rows.map((r) => !!r.error)).to.deep.equal([false, true, true]);
    expect(p.ok).to.equal(1);
  });

  it("fails a message stopped by a bad sender name with plain words, and sends it on retry once fixed", async () => {
    const w = await createWorld();
    const a = await placeOrder(w);
    // A name saved before such names were refused (or written around the commands).
    const broken = {
      ...(w.org.settings as object),
      mail: { fromName: "LHH\r\nBcc: x@evil.test", fromAddress: "a@t.vn" },
    };
    await w.db.update(organizations).set({ settings: broken }).where(eq(organizations.id, w.org.id));
    await send(w, "clerk", a.id, { type: "order.register" });
    await w.settled();

    const failed = (await mailLog(w, a.id)).find((m) => m.template === "order.acknowledged" && m.status === "failed")!;
    expect(failed, "a failed message in the delivery log").to.not.equal(undefined);
    expect(failed.error).to.match(/Cài đặt/);
    const warning = w.mailer.sent.find((m) => m.text.includes("tên người gửi thư trong Cài đặt"));
    expect(warning, "the secretariat is told what to fix").to.not.equal(undefined);
    expect(warning!.from.name).to.not.match(/[\r\n]/);
    expect(w.mailer.sent.some((m) => m.subject && m.to[0].address === w.agency.email)).to.equal(false);

    expect((await w.as("agency").post(`/api/v1/assignments/${a.id}/mail/${failed.id}/retry`)).status).to.equal(403);
    const fixed = await w.as("admin").put("/api/v1/settings", {
      settings: { mail: { fromName: "Liên hiệp hội", fromAddress: "tvpb@test.vn" } },
    });
    expect(fixed.status, JSON.stringify(fixed.body)).to.equal(200);
    const retry = await w.as("secretariat").post(`/api/v1/assignments/${a.id}/mail/${failed.id}/retry`);
    expect(retry.status, JSON.stringify(retry.body)).to.equal(202);
    await w.settled();
    const after = (await mailLog(w, a.id)).find((m) => m.id === failed.id)!;
    expect(after.status).to.equal("sent");
    const delivered = w.mailer.sent.filter((m) => m.to[0].address === w.agency.email);
    expect(delivered).to.have.length(1);
    expect(delivered[0].from.name).to.equal("Liên hiệp hội");

    const again = await w.as("secretariat").post(`/api/v1/assignments/${a.id}/mail/${failed.id}/retry`);
    expect(again.status).to.equal(409);
    expect(again.body.error.code).to.equal("mail_not_failed");
    const unknown = await w.as("secretariat").post(`/api/v1/assignments/${a.id}/mail/effect-999999999/retry`);
    expect(unknown.status).to.equal(404);
  });

  it("fails a message stopped by a bad recipient name and names the registry as what to fix", async () => {
    const w = await createWorld();
    const a = await placeOrder(w);
    const { agencies } = await import("../../server/db/schema.js");
    await w.db.update(agencies).set({ name: "UBND\r\ntỉnh" }).where(eq(agencies.id, w.agency.id));
    await send(w, "clerk", a.id, { type: "order.register" });
    await w.settled();
    const failed = (await mailLog(w, a.id)).find((m) => m.template === "order.acknowledged" && m.status === "failed")!;
    expect(failed, "a failed message in the delivery log").to.not.equal(undefined);
    expect(w.mailer.sent.some((m) => m.text.includes("tên người nhận có ký tự xuống dòng"))).to.equal(true);
    await w.db.update(agencies).set({ name: "UBND tỉnh" }).where(eq(agencies.id, w.agency.id));
    // The page action: the assignment page lists the failed message with "Send again" for staff.
    const clerk = w.userFor("clerk");
    await w.db
      .update(users)
      .set({ passwordHash: await hashPassword("mat-khau-van-thu") })
      .where(eq(users.id, clerk.id));
    const agent = request.agent(w.app);
    await agent.post("/login").type("form").send({ email: clerk.email, password: "mat-khau-van-thu", next: "/" });
    const page = await agent.get(`/assignments/${a.id}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain(`/assignments/${a.id}/mail/${failed.id}/retry`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const retried = await agent.post(`/assignments/${a.id}/mail/${failed.id}/retry`).type("form").send({ _csrf: csrf });
    expect(retried.status).to.equal(303);
    await w.settled();
    expect((await mailLog(w, a.id)).find((m) => m.id === failed.id)!.status).to.equal("sent");
  });
});
