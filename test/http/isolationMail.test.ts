/**
 * Isolation between Unions on one installation, continued (issue 11 §3): the demo outbox's files and
 * their mail, invitation and sign-in links, document template overrides and expert imports. Two
 * Unions with the same agency names, the same expert e-mail and the same assignment titles share
 * one database and one app: nothing of one is visible or usable from the other.
 */
import { expect } from "chai";
import { and, eq } from "drizzle-orm";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import request from "supertest";
import { experts, invitations, mailMessages, users } from "../../server/db/schema.js";
import { createApp } from "../../server/app.js";
import { createOperator } from "../../server/commands/createOperator.js";
import { createActionToken } from "../../server/mail/links.js";
import { createWorld, silentLogger, TEST_LINK_SECRET, type World } from "../support/testApp.js";
import { placeOrder, send, toPlanning } from "../support/flows.js";

const SHARED_EMAIL = "chuyengia.chung@isolation-mail.test";

type Side = { w: World; assignmentId: string; invitationId: string; mailFile: string; subject: string };

/** One Union: an assignment in planning whose panel invites the shared-address expert; a mail in the outbox. */
async function side(outboxDir: string, name: string): Promise<Side> {
  const w = await createWorld();
  const expert = w.experts[0];
  await w.db.update(experts).set({ email: SHARED_EMAIL }).where(eq(experts.id, expert.id));
  await w.db
    .update(users)
    .set({ email: SHARED_EMAIL })
    .where(eq(users.id, w.userFor("expert0").id));
  const a = await placeOrder(w);
  await toPlanning(w, a.id);
  await send(w, "secretariat", a.id, {
    type: "plan.submit",
    workPlan: "Họp Hội đồng; 15 ngày nhận xét.",
    costEstimate: 45000000,
    reviewDays: 15,
  });
  await send(w, "secretariat", a.id, {
    type: "panel.invite",
    members: [{ expertId: expert.id, role: "chair" }],
  });
  await w.settled();
  const [inv] = await w.db
    .select()
    .from(invitations)
    .where(and(eq(invitations.assignmentId, a.id), eq(invitations.expertId, expert.id)));
  const [mail] = await w.db.select().from(mailMessages).where(eq(mailMessages.organizationId, w.org.id)).limit(1);
  expect(mail, "a message of this Union").to.not.equal(undefined);
  const file = path.join(outboxDir, `${name}.eml`);
  fs.writeFileSync(file, `Subject: ${mail.subject}\r\nTo: ${SHARED_EMAIL}\r\n\r\nThư của ${w.org.name}\r\n`);
  await w.db.update(mailMessages).set({ file }).where(eq(mailMessages.id, mail.id));
  return { w, assignmentId: a.id, invitationId: inv.id, mailFile: `${name}.eml`, subject: mail.subject };
}

/** The installation's app over the shared database, with the link pages and the demo outbox. */
function installationApp(w: World, outboxDir: string) {
  return createApp({
    ...{ db: w.db, database: w.database, clock: w.runClock, logger: silentLogger },
    publicUrl: "http://tvpb.test",
    documents: w.documents,
    mail: { linkSecret: TEST_LINK_SECRET, outboxDir },
  });
}

const link = (purpose: "signin" | "invitation.accept", subjectId: string) =>
  createActionToken({
    secret: TEST_LINK_SECRET,
    purpose,
    subjectId,
    email: SHARED_EMAIL,
    expiresAt: new Date("2030-01-01T00:00:00Z"),
  });

const nonceOf = (html: string) => /name="nonce" value="([^"]+)"/.exec(html)?.[1];

describe("isolation between two Unions: outbox, links, templates and imports", function () {
  this.timeout(600_000);
  let a: Side;
  let b: Side;
  let app: ReturnType<typeof createApp>;
  before(async () => {
    const outboxDir = fs.mkdtempSync(path.join(os.tmpdir(), "tvpb-outbox-"));
    a = await side(outboxDir, "thu-a");
    b = await side(outboxDir, "thu-b");
    app = installationApp(a.w, outboxDir);
  });

  const bearer = (s: Side, role: Parameters<World["userFor"]>[0]) => `Bearer ${s.w.tokens[s.w.userFor(role).id]}`;

  it("lists and opens only the Union's own outbox messages", async () => {
    for (const [me, other] of [
      [a, b],
      [b, a],
    ]) {
      const list = await request(app).get("/outbox").set("Authorization", bearer(me, "secretariat"));
      expect(list.status).to.equal(200);
      expect(list.text).to.include(me.mailFile).and.not.include(other.mailFile);
      const own = await request(app).get(`/outbox/${me.mailFile}`).set("Authorization", bearer(me, "secretariat"));
      expect(own.status).to.equal(200);
      for (const url of [`/outbox/${other.mailFile}`, `/outbox/${other.mailFile}?download=1`]) {
        const r = await request(app).get(url).set("Authorization", bearer(me, "secretariat"));
        expect(r.status, url).to.equal(404);
        expect(r.text).to.not.include(other.w.org.name);
      }
    }
  });

  it("shows the installation's operator neither Union's outbox nor a message of it", async () => {
    const email = `vanhanh-${a.w.org.id.slice(0, 8)}@tvpb.test`;
    const password = "Van-hanh#2026-an-toan";
    await createOperator(a.w.db, { input: { email, fullName: "Người vận hành", password } });
    const op = request.agent(app);
    expect((await op.post("/api/v1/operator/auth/login").send({ email, password })).status).to.equal(200);
    for (const url of ["/outbox", `/outbox/${a.mailFile}`, `/outbox/${b.mailFile}?download=1`]) {
      const r = await op.get(url);
      expect(r.status, url).to.equal(403);
      expect(r.text, url).to.not.include(a.subject).and.not.include(a.w.org.name);
    }
  });

  it("a sign-in link of the Union A opens only A's account, though the same address is in B", async () => {
    const agent = request.agent(app);
    const token = link("signin", a.w.userFor("expert0").id);
    const form = await agent.get(`/auth/link?token=${encodeURIComponent(token)}`);
    expect(form.status).to.equal(200);
    expect(form.text).to.include(a.w.org.name.replace(/&/g, "&amp;")).and.not.include(b.w.org.name);
    const signed = await agent
      .post("/auth/link")
      .type("form")
      .send({ token, nonce: nonceOf(form.text) });
    expect(signed.status).to.equal(303);
    expect((await agent.get("/api/v1/me")).body.data.id).to.equal(a.w.userFor("expert0").id);
    expect((await agent.get(`/api/v1/assignments/${b.assignmentId}`)).status).to.equal(404);
    expect((await agent.get("/api/v1/invitations")).text).to.not.include(b.invitationId);
  });

  it("an invitation link of the Union A answers A's invitation only; B's stays open", async () => {
    const agent = request.agent(app);
    const token = link("invitation.accept", a.invitationId);
    const form = await agent.get(`/invitations/respond?token=${encodeURIComponent(token)}`);
    expect(form.status).to.equal(200);
    const answered = await agent
      .post("/invitations/respond")
      .type("form")
      .send({ token, nonce: nonceOf(form.text), noConflict: "yes", confidentiality: "yes" });
    expect(answered.status, answered.text.slice(0, 300)).to.equal(303);
    expect(answered.headers.location).to.include(a.assignmentId);
    const state = async (s: Side) =>
      (await s.w.db.select().from(invitations).where(eq(invitations.id, s.invitationId)))[0].state;
    expect(await state(a)).to.equal("accepted");
    expect(await state(b)).to.equal("invited");
    expect((await agent.get("/api/v1/me")).body.data.id, "signed in to A's account").to.equal(
      a.w.userFor("expert0").id,
    );
    expect((await agent.get(`/api/v1/assignments/${b.assignmentId}`)).status).to.equal(404);
    // A link naming B's invitation but signed for another purpose or altered is refused.
    const forged = token.slice(0, -2) + (token.endsWith("AA") ? "BB" : "AA");
    expect((await agent.get(`/invitations/respond?token=${encodeURIComponent(forged)}`)).status).to.equal(400);
  });

  it("a Union's own document template is never used for the other Union", async () => {
    const marker = "MẪU RIÊNG CỦA LIÊN HIỆP HỘI A";
    const kind = "coverLetter";
    const builtIn = (await a.w.documents.templateSources(a.w.org)).find((t) => t.kind === kind)!.builtIn;
    await a.w.documents.saveTemplate(a.w.org, kind, `${builtIn}\n<p>${marker}</p>`);
    const sources = async (s: Side) => (await a.w.documents.templateSources(s.w.org)).find((t) => t.kind === kind)!;
    expect((await sources(a)).override).to.include(marker);
    expect((await sources(b)).override).to.equal(null);
    const html = (s: Side) =>
      a.w.documents.draftHtml(kind, { organizationId: s.w.org.id, assignmentId: s.assignmentId });
    expect(await html(a)).to.include(marker);
    expect(await html(b)).to.not.include(marker);
    const page = await request(app).get("/admin/documents").set("Authorization", bearer(b, "admin"));
    expect(page.status).to.equal(200);
    expect(page.text).to.not.include(marker);
  });

  it("an expert import lands only in the importer's Union, even for an address the other Union has", async () => {
    const csv = [
      "fullName,academicTitle,degree,fields,workplace,email,phone",
      `Nhập Từ A,PGS.,TS.,Dược liệu,Viện Dược liệu,${SHARED_EMAIL},0912000111`,
      "Chỉ Có Ở A,,TS.,Thủy lợi,Sở Nông nghiệp,chi-co-o-a@isolation-mail.test,",
    ].join("\n");
    const before = await b.w.db.select().from(experts).where(eq(experts.organizationId, b.w.org.id));
    const done = await request(app)
      .post("/admin/experts/import/confirm")
      .set("Authorization", bearer(a, "admin"))
      .type("form")
      .send({ csv });
    expect(done.status, done.text.slice(0, 300)).to.equal(303);
    const progress = done.headers.location as string;
    await a.w.settled();
    const inA = await a.w.db.select().from(experts).where(eq(experts.organizationId, a.w.org.id));
    expect(inA.map((e) => e.fullName)).to.include("Chỉ Có Ở A");
    const inB = await b.w.db.select().from(experts).where(eq(experts.organizationId, b.w.org.id));
    expect(inB.map((e) => e.fullName))
      .to.not.include("Chỉ Có Ở A")
      .and.not.include("Nhập Từ A");
    expect(inB.map((e) => [e.id, e.fullName, e.email])).to.deep.equal(before.map((e) => [e.id, e.fullName, e.email]));
    const elsewhere = await request(app).get(progress).set("Authorization", bearer(b, "admin"));
    expect(elsewhere.status, "B cannot follow A's import").to.equal(404);
    expect((await request(app).get(progress).set("Authorization", bearer(a, "admin"))).status).to.equal(200);
  });
});
