/**
 * The pages behind e-mail links (answer an invitation, sign in), the delivery log, the demo outbox
 * pages and the secretariat's daily digest, through the real app on the test database.
 */
import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import request from "supertest";
import { and, eq } from "drizzle-orm";
import { createApp } from "../../server/app.js";
import { deadlines, experts, invitations, mailMessages, usedTokens, users } from "../../server/db/schema.js";
import { createMailer } from "../../server/adapters/mailer.js";
import { createSendMail } from "../../server/effects/sendMail.js";
import { createEmailTemplates } from "../../server/mail/templates.js";
import { createEffectWorker } from "../../server/runtime/effectWorker.js";
import { armDigest, pendingDigestRows } from "../../server/digest/digestTimer.js";
import { expertSearchText } from "../../server/commands/registry.js";
import { createWorld, silentLogger, TEST_LINK_SECRET, type World } from "../support/testApp.js";
import { placeOrder, send, toPlanning } from "../support/flows.js";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..", "..");

function linkApp(w: World, outboxDir?: string) {
  return createApp({
    db: w.db,
    database: w.database,
    clock: w.clock,
    logger: silentLogger,
    publicUrl: "http://tvpb.test",
    mail: { linkSecret: TEST_LINK_SECRET, ...(outboxDir ? { outboxDir } : {}) },
  });
}

/** The accept and decline tokens in the invitation mail to this address. */
function invitationTokens(w: World, address: string) {
  const m = w.mailer.sent
    .filter((x) => x.to[0].address === address && x.text.includes("/invitations/respond?token="))
    .at(-1);
  expect(m, `invitation to ${address}`).to.exist;
  const [accept, decline] = [...m!.text.matchAll(/\/invitations\/respond\?token=([A-Za-z0-9_.-]+)/g)].map((x) => x[1]);
  return { accept, decline };
}

/** Opens the page with a cookie-keeping agent and returns the form's fields. */
async function openForm(agent: ReturnType<typeof request.agent>, url: string) {
  const res = await agent.get(url);
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(res.text)?.[1];
  return { res, token: field("token"), nonce: field("nonce"), a: field("a") };
}

describe("links in e-mails, the delivery log and the outbox", () => {
  let w: World;
  let app: ReturnType<typeof createApp>;
  let id: string;
  let newcomer: typeof experts.$inferSelect;

  before(async () => {
    w = await createWorld();
    app = linkApp(w);
    id = (await placeOrder(w)).id;
    await toPlanning(w, id);
    await send(w, "secretariat", id, {
      type: "plan.submit",
      workPlan: "Họp Hội đồng; 15 ngày nhận xét.",
      costEstimate: 45000000,
      reviewDays: 15,
    });
    [newcomer] = await w.db
      .insert(experts)
      .values({
        organizationId: w.org.id,
        fullName: "Lường Thị Hoa",
        academicTitle: "PGS.TS.",
        degree: "TS.",
        fields: ["Dược liệu"],
        email: `hoa-${w.org.id.slice(0, 8)}@test.vn`,
        searchText: expertSearchText({ fullName: "Lường Thị Hoa", degree: "TS.", fields: ["Dược liệu"] }),
      })
      .returning();
    await send(w, "secretariat", id, {
      type: "panel.invite",
      members: [
        { expertId: newcomer.id, role: "chair" },
        { expertId: w.experts[1].id, role: "member" },
        { expertId: w.experts[2].id, role: "member" },
        { expertId: w.experts[3].id, role: "member" },
      ],
    });
    await w.settled();
  });

  it("shows the invitation with the assignment, role, reply date and dossier, and accepts it once, signing the expert in", async () => {
    const { accept } = invitationTokens(w, newcomer.email!);
    const agent = request.agent(app);
    const form = await openForm(agent, `/invitations/respond?token=${accept}`);
    expect(form.res.status).to.equal(200);
    expect(form.res.text).to.contain("Chủ tịch Hội đồng");
    expect(form.res.text).to.contain("Đề án phát triển cây dược liệu");
    expect(form.res.text).to.contain('name="noConflict"');
    expect(form.res.text).to.contain('Hồ sơ <span class="en">Dossier</span>');
    expect(form.res.text).to.contain("đăng nhập ngay");
    expect(([] as string[]).concat(form.res.headers["set-cookie"] ?? []).join(";")).to.match(
      /tvpb_form=.*SameSite=Strict/i,
    );

    // Without both ticks nothing happens and the link stays usable.
    const missing = await agent
      .post("/invitations/respond")
      .type("form")
      .send({ token: form.token, nonce: form.nonce, noConflict: "yes" });
    expect(missing.status).to.equal(400);
    expect(missing.text).to.contain("validation_failed");

    const ok = await agent
      .post("/invitations/respond")
      .type("form")
      .send({ token: form.token, nonce: form.nonce, noConflict: "yes", confidentiality: "yes" });
    expect(ok.status, ok.text).to.equal(303);
    expect(ok.headers.location).to.equal(`/assignments/${id}?done=invitation.accept`);
    const session = ([] as string[]).concat(ok.headers["set-cookie"] ?? []).find((c) => c.startsWith("tvpb_session="));
    expect(session, "signed in by the acceptance").to.match(/HttpOnly/i);
    const landing = await agent.get(ok.headers.location).expect(200);
    expect(landing.text).to.contain('id="next-h"');
    const inv = await w.db
      .select()
      .from(invitations)
      .where(and(eq(invitations.assignmentId, id), eq(invitations.expertId, newcomer.id)));
    expect(inv[0].state).to.equal("accepted");
    expect(inv[0].declaration).to.include({ noConflict: true, confidentiality: true });
    const jti = JSON.parse(Buffer.from(accept.split(".")[0], "base64url").toString("utf8")).j as string;
    expect(await w.db.select().from(usedTokens).where(eq(usedTokens.jti, jti))).to.have.length(1);

    const again = await agent
      .post("/invitations/respond")
      .type("form")
      .send({ token: form.token, nonce: form.nonce, noConflict: "yes", confidentiality: "yes" });
    expect(again.status).to.equal(409);
    expect(again.text).to.contain("link_used");
    const reused = await request(app).get(`/invitations/respond?token=${accept}`);
    expect(reused.status).to.equal(409);
    expect(reused.text).to.contain('action="/invitations/signin"');
  });

  it("creates an account for an expert who had none; a reused link mails a sign-in link that opens a session once", async () => {
    const [account] = await w.db
      .select()
      .from(users)
      .where(and(eq(users.organizationId, w.org.id), eq(users.expertId, newcomer.id)));
    expect(account, "account created").to.exist;
    expect(account.roles).to.deep.equal(["expert"]);
    expect(account.passwordHash).to.equal(null);
    expect(account.email).to.equal(newcomer.email!.toLowerCase());
    await w.settled();
    const signinMails = () =>
      w.mailer.sent.filter((x) => x.to[0].address === account.email && x.text.includes("/auth/link?token="));
    expect(signinMails(), "no second e-mail after accepting").to.have.length(0);
    const { accept } = invitationTokens(w, newcomer.email!);
    const offer = request.agent(app);
    const used = await openForm(offer, `/invitations/respond?token=${accept}`);
    expect(used.res.status).to.equal(409);
    const forgedAsk = await request(app)
      .post("/invitations/signin")
      .type("form")
      .send({ token: used.token, nonce: used.nonce });
    expect(forgedAsk.status, "no form cookie").to.equal(403);
    const asked = await offer.post("/invitations/signin").type("form").send({ token: used.token, nonce: used.nonce });
    expect(asked.status, asked.text).to.equal(200);
    expect(asked.text).to.contain(account.email);
    await w.settled();
    const [m] = signinMails();
    expect(m, "signin.link mail").to.exist;
    const url = /http:\/\/tvpb\.test(\/auth\/link\?token=[A-Za-z0-9_.-]+&a=[0-9a-f-]+)/.exec(m!.text)![1];

    const agent = request.agent(app);
    const form = await openForm(agent, url);
    expect(form.res.status).to.equal(200);
    expect(([] as string[]).concat(form.res.headers["set-cookie"] ?? []).join(";") ?? "").to.not.contain(
      "tvpb_session",
    );
    const forged = await request(app)
      .post("/auth/link")
      .type("form")
      .send({ token: form.token, nonce: form.nonce, a: form.a });
    expect(forged.status, "no form cookie: a cross-site POST").to.equal(403);
    expect(forged.text).to.contain("csrf_failed");

    const signed = await agent
      .post("/auth/link")
      .type("form")
      .send({ token: form.token, nonce: form.nonce, a: form.a });
    expect(signed.status).to.equal(303);
    expect(signed.headers.location).to.equal(`/assignments/${id}`);
    const cookie = (signed.headers["set-cookie"] as unknown as string[]).find((c) => c.startsWith("tvpb_session="))!;
    expect(cookie).to.match(/HttpOnly/i);
    const api = await request(app).get(`/api/v1/assignments/${id}`).set("Cookie", cookie.split(";")[0]);
    expect(api.status, "the dossier is reachable with the new session").to.equal(200);

    const twice = await agent.post("/auth/link").type("form").send({ token: form.token, nonce: form.nonce, a: form.a });
    expect(twice.status).to.equal(409);
  });

  it("declines with a reason and a conflict", async () => {
    const { decline } = invitationTokens(w, w.experts[1].email!);
    const agent = request.agent(app);
    const form = await openForm(agent, `/invitations/respond?token=${decline}`);
    expect(form.res.status).to.equal(200);
    expect(form.res.text).to.contain('name="reason"');
    const res = await agent
      .post("/invitations/respond")
      .type("form")
      .send({ token: form.token, nonce: form.nonce, reason: "Tôi tham gia soạn thảo Đề án.", conflict: "yes" });
    expect(res.status, res.text).to.equal(200);
    const [inv] = await w.db
      .select()
      .from(invitations)
      .where(and(eq(invitations.assignmentId, id), eq(invitations.expertId, w.experts[1].id)));
    expect(inv.state).to.equal("declined");
    expect(inv.declineReason).to.equal("Tôi tham gia soạn thảo Đề án.");
  });

  it("accepts with a declared conflict of interest, as the API does, and leaves the secretariat to decide on it", async () => {
    const expert = w.experts[3];
    const { accept } = invitationTokens(w, expert.email!);
    const agent = request.agent(app);
    const form = await openForm(agent, `/invitations/respond?token=${accept}`);
    expect(form.res.text).to.contain('name="conflictNote"');
    expect(form.res.text).to.not.match(/name="noConflict" value="yes" required/);
    const conflictNote = "Tôi từng góp ý cho tổ biên tập Đề án ở vòng lấy ý kiến lần 1.";
    // "No conflict" and a conflict at once is refused, and the link stays usable.
    const both = await agent
      .post("/invitations/respond")
      .type("form")
      .send({ token: form.token, nonce: form.nonce, noConflict: "yes", confidentiality: "yes", conflictNote });
    expect(both.status).to.equal(400);
    const noConfidentiality = await agent
      .post("/invitations/respond")
      .type("form")
      .send({ token: form.token, nonce: form.nonce, conflictNote });
    expect(noConfidentiality.status).to.equal(400);
    const ok = await agent
      .post("/invitations/respond")
      .type("form")
      .send({ token: form.token, nonce: form.nonce, confidentiality: "yes", conflictNote });
    expect(ok.status, ok.text).to.equal(303);
    const [inv] = await w.db
      .select()
      .from(invitations)
      .where(and(eq(invitations.assignmentId, id), eq(invitations.expertId, expert.id)));
    expect(inv.state).to.equal("accepted");
    expect(inv.declaration).to.deep.include({ noConflict: false, confidentiality: true, note: conflictNote });
    await w.settled();
    // The secretariat now waives it with a written reason (or replaces the expert), as after the API.
    const detail = (await w.as("secretariat").get(`/api/v1/assignments/${id}`)).body.data;
    expect((detail.can as Array<{ type: string }>).map((c) => c.type)).to.include("conflict.waive");
    const waived = await w.as("secretariat").post(`/api/v1/assignments/${id}/events`, {
      type: "conflict.waive",
      invitationId: inv.id,
      reason: "Góp ý lần 1 không phải là tham gia soạn thảo; không ảnh hưởng tính độc lập.",
    });
    expect(waived.status, JSON.stringify(waived.body)).to.equal(200);
  });

  it("refuses a tampered link (400), another person's link (403) and an expired one (410)", async () => {
    const { accept } = invitationTokens(w, w.experts[2].email!);
    const flipped = accept.slice(0, 10) + (accept[10] === "A" ? "B" : "A") + accept.slice(11);
    const bad = await request(app).get(`/invitations/respond?token=${flipped}`);
    expect(bad.status).to.equal(400);
    expect(bad.text).to.contain("link_tampered");
    expect((await request(app).get("/invitations/respond")).status).to.equal(400);

    // The registry now has another address for this expert: the old link is not theirs any more.
    await w.db
      .update(experts)
      .set({ email: `moved-${w.experts[2].email}` })
      .where(eq(experts.id, w.experts[2].id));
    const wrong = await request(app).get(`/invitations/respond?token=${accept}`);
    expect(wrong.status).to.equal(403);
    expect(wrong.text).to.contain("link_wrong_person");
    await w.db.update(experts).set({ email: w.experts[2].email }).where(eq(experts.id, w.experts[2].id));

    const { accept: other } = invitationTokens(w, w.experts[3].email!);
    const saved = w.clock.now();
    w.clock.set(new Date(saved.getTime() + 60 * 86_400_000));
    const expired = await request(app).get(`/invitations/respond?token=${other}`);
    w.clock.set(saved);
    expect(expired.status).to.equal(410);
    expect(expired.text).to.contain("link_expired");
  });

  it("refuses a POST whose nonce belongs to another form", async () => {
    const { accept } = invitationTokens(w, w.experts[2].email!);
    const agent = request.agent(app);
    const form = await openForm(agent, `/invitations/respond?token=${accept}`);
    const res = await agent
      .post("/invitations/respond")
      .type("form")
      .send({ token: form.token, nonce: `${form.nonce}x`, noConflict: "yes", confidentiality: "yes" });
    expect(res.status).to.equal(403);
    const [inv] = await w.db
      .select()
      .from(invitations)
      .where(and(eq(invitations.assignmentId, id), eq(invitations.expertId, w.experts[2].id)));
    expect(inv.state).to.equal("invited");
  });

  it("lists an assignment's delivery log for staff, with permanent failures, and hides it from others", async () => {
    const [row] = await w.db.select().from(mailMessages).where(eq(mailMessages.assignmentId, id)).limit(1);
    await w.db
      .update(mailMessages)
      .set({ status: "failed", error: "550 5.1.1 Mailbox does not exist" })
      .where(eq(mailMessages.id, row.id));
    const res = await w.as("secretariat").get(`/api/v1/assignments/${id}/mail`);
    expect(res.status).to.equal(200);
    expect(res.body.data.length).to.be.greaterThan(3);
    const failed = res.body.data.find((m: { id: string }) => m.id === row.id);
    expect(failed).to.include({ status: "failed", error: "550 5.1.1 Mailbox does not exist" });
    for (const m of res.body.data)
      expect(m).to.have.keys([
        "id",
        "template",
        "recipients",
        "subject",
        "status",
        "attempts",
        "error",
        "messageId",
        "createdAt",
        "sentAt",
      ]);
    expect((await w.as("agency").get(`/api/v1/assignments/${id}/mail`)).status).to.equal(403);
    expect((await w.as("otheragency").get(`/api/v1/assignments/${id}/mail`)).status).to.equal(404);
  });

  it("shows a confidential assignment's mail in the outbox only as 'Nhiệm vụ mật' to staff outside it", async () => {
    const outboxDir = w.tmpDir();
    const mailer = createMailer({ outboxDir, now: () => w.clock.now() });
    const worker = createEffectWorker({
      db: w.db,
      organizations: () => [w.org.id],
      clock: w.clock,
      logger: silentLogger,
      handlers: {
        mail: createSendMail({
          db: w.db,
          clock: w.clock,
          mailer,
          templates: createEmailTemplates({ dir: path.join(root, "templates", "emails") }),
          publicUrl: "http://tvpb.test",
          linkSecret: TEST_LINK_SECRET,
        }),
      },
    });
    const secret = await placeOrder(w, { confidential: true, title: "Quy hoạch khu vực phòng thủ tỉnh (mật)" });
    await send(w, "clerk", secret.id, { type: "order.register" });
    await worker.drain();
    const [mail] = await w.db.select().from(mailMessages).where(eq(mailMessages.assignmentId, secret.id));
    expect(mail?.file, "the acknowledgement to the agency").to.be.a("string");
    const outApp = linkApp(w, outboxDir);
    const as = (role: "admin" | "clerk") => (r: request.Test) =>
      r.set("Authorization", `Bearer ${w.tokens[w.userFor(role).id]}`);
    const adminList = await as("admin")(request(outApp).get("/outbox"));
    expect(adminList.status).to.equal(200);
    expect(adminList.text).to.not.contain("phòng thủ");
    expect(adminList.text).to.contain(`Nhiệm vụ mật ${secret.code}`);
    const name = path.basename(mail.file!);
    expect((await as("admin")(request(outApp).get(`/outbox/${name}`))).status).to.equal(404);
    const clerkOne = await as("clerk")(request(outApp).get(`/outbox/${name}`));
    expect(clerkOne.status, "the clerk works on it").to.equal(200);
  });

  it("shows the demo outbox to staff: the list, one message with its HTML sandboxed, and no path traversal", async () => {
    const outboxDir = w.tmpDir();
    const mailer = createMailer({ outboxDir, now: () => w.clock.now() });
    const worker = createEffectWorker({
      db: w.db,
      organizations: () => [w.org.id],
      clock: w.clock,
      logger: silentLogger,
      handlers: {
        mail: createSendMail({
          db: w.db,
          clock: w.clock,
          mailer,
          templates: createEmailTemplates({ dir: path.join(root, "templates", "emails") }),
          publicUrl: "http://tvpb.test",
          linkSecret: TEST_LINK_SECRET,
        }),
      },
    });
    const b = (await placeOrder(w, { title: "Dự án hồ chứa nước Khuổi Nhừ, huyện Na Hang" })).id;
    await send(w, "clerk", b, { type: "order.register" });
    await worker.drain();
    const files = await w.db.select().from(mailMessages).where(eq(mailMessages.assignmentId, b));
    expect(files.length).to.be.greaterThan(0);
    expect(files.every((f) => f.file && fs.existsSync(f.file))).to.equal(true);

    const outApp = linkApp(w, outboxDir);
    const token = w.tokens[w.userFor("secretariat").id];
    const list = await request(outApp).get("/outbox").set("Authorization", `Bearer ${token}`);
    expect(list.status).to.equal(200);
    expect(list.text).to.contain(files[0].subject.replace(/&/g, "&amp;"));
    const name = path.basename(files[0].file!);
    const one = await request(outApp).get(`/outbox/${name}`).set("Authorization", `Bearer ${token}`);
    expect(one.status).to.equal(200);
    expect(one.text).to.match(/<iframe sandbox srcdoc="[^"]*Kính gửi/);
    expect(one.text).to.contain("Khuổi Nhừ");
    const raw = await request(outApp).get(`/outbox/${name}?download=1`).set("Authorization", `Bearer ${token}`);
    expect(raw.status).to.equal(200);
    expect(raw.headers["content-disposition"]).to.contain("attachment");

    for (const evil of ["..%2F..%2Fetc%2Fpasswd", "..%2Foutbox.eml", "%2E%2E%2Fsecret.eml", "x.txt"]) {
      expect(
        (await request(outApp).get(`/outbox/${evil}`).set("Authorization", `Bearer ${token}`)).status,
        evil,
      ).to.be.oneOf([404]);
    }
    expect((await request(outApp).get("/outbox")).status).to.equal(401);
    expect(
      (
        await request(outApp)
          .get("/outbox")
          .set("Authorization", `Bearer ${w.tokens[w.userFor("agency").id]}`)
      ).status,
    ).to.equal(403);
    expect(
      (await request(app).get("/outbox").set("Authorization", `Bearer ${token}`)).status,
      "no outbox page when SMTP is configured",
    ).to.equal(404);
  });
});

describe("the secretariat's daily digest", () => {
  it("goes out at 07:30 on working days only, once, with what is overdue, and catches up once after downtime", async () => {
    const w = await createWorld({ start: "2026-03-06T02:00:00Z" }); // Friday 09:00 in Vietnam
    const a = await placeOrder(w);
    await send(w, "clerk", a.id, { type: "order.register" }); // screening: 5 working days
    await w.settled();
    await w.db.transaction((tx) => armDigest(tx, w.org.id, w.clock.now()));
    await w.db.transaction((tx) => armDigest(tx, w.org.id, w.clock.now())); // idempotent
    let rows = await pendingDigestRows(w.db, w.org.id);
    expect(rows.map((r) => [r.key, r.dueAt.toISOString()])).to.deep.equal([
      ["digest:2026-03-09", "2026-03-09T00:30:00.000Z"],
    ]);

    const secretariat = w.userFor("secretariat").email;
    const digests = () =>
      w.mailer.sent.filter((m) => m.to[0].address === secretariat && m.text.includes("VIỆC QUÁ HẠN"));
    w.clock.set("2026-03-09T00:29:00Z");
    await w.settled();
    expect(digests()).to.have.length(0);
    w.clock.set("2026-03-09T00:31:00Z");
    await w.settled();
    expect(digests(), "Monday 07:30").to.have.length(1);
    expect(digests()[0].text).to.contain("Đang xem xét hồ sơ"); // waiting on the secretariat
    rows = await pendingDigestRows(w.db, w.org.id);
    expect(rows.map((r) => r.key)).to.deep.equal(["digest:2026-03-10"]);

    // Down from Monday to the next Wednesday: one digest on the way back, with the screening overdue.
    w.clock.set("2026-03-18T03:00:00Z");
    await w.settled();
    expect(digests(), "one catch-up digest, not one per missed day").to.have.length(2);
    expect(digests()[1].text).to.match(/QUÁ HẠN \(1\)/);
    expect(digests()[1].text).to.contain("Xem xét hồ sơ đặt hàng");
    rows = await pendingDigestRows(w.db, w.org.id);
    expect(rows.map((r) => r.key)).to.deep.equal(["digest:2026-03-19"]);
    await w.settled();
    expect(digests()).to.have.length(2);
    const fired = await w.db
      .select()
      .from(deadlines)
      .where(
        and(
          eq(deadlines.organizationId, w.org.id),
          eq(deadlines.workflow, "organization"),
          eq(deadlines.status, "fired"),
        ),
      );
    expect(fired.map((r) => r.key).sort()).to.deep.equal(["digest:2026-03-09", "digest:2026-03-10"]);
  });

  it("skips weekends and Tết 2026 when arming the next digest", async () => {
    const w = await createWorld({ start: "2026-02-13T01:00:00Z" }); // Friday 08:00, the last working day before Tết
    await w.db.transaction((tx) => armDigest(tx, w.org.id, w.clock.now()));
    const rows = await pendingDigestRows(w.db, w.org.id);
    expect(rows.map((r) => r.key)).to.deep.equal(["digest:2026-02-23"]);
  });
});
