/**
 * No secrets in the logs: a whole assignment, from the order to closure, through the real app with
 * the process's logger (server/logger.ts) writing into memory — Bearer tokens, a password sign-in
 * with its session cookie and CSRF token, a new API token, invitation links answered on their page
 * (form cookie, nonce), a one-time sign-in link, a mail that fails with the link in the relay's
 * answer, an unexpected error carrying a token — and then every secret the test used is looked for
 * in the log. None may be there; the log must show the requests it redacted.
 */
import { expect } from "chai";
import { Writable } from "node:stream";
import path from "node:path";
import request from "supertest";
import { and, eq } from "drizzle-orm";
import type { Request, Response } from "express";
import { createApp } from "../../server/app.js";
import { experts, users } from "../../server/db/schema.js";
import { hashPassword } from "../../server/auth/passwords.js";
import { expertSearchText } from "../../server/commands/registry.js";
import { createSendMail, reportMailFailure } from "../../server/effects/sendMail.js";
import { createRenderDocument } from "../../server/effects/renderDocument.js";
import { createEmailTemplates } from "../../server/mail/templates.js";
import { createEffectWorker } from "../../server/runtime/effectWorker.js";
import { createDeadlineWorker } from "../../server/runtime/deadlineWorker.js";
import { errorHandler } from "../../server/http/errorHandler.js";
import { createLogger, REDACTED, scrubSecrets } from "../../server/logger.js";
import { createWorld, TEST_LINK_SECRET, type World } from "../support/testApp.js";
import { accept, placeOrder, send, submitOpinions, toClosed, toIssuing, toPlanning } from "../support/flows.js";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..", "..");

/** A logger as production builds it, writing into a string. */
function capturedLogger() {
  let text = "";
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { logger: createLogger({ level: "debug", destination }), text: () => text };
}

/** The world, but every request, worker and mail going through `logger`. */
function loggedWorld(w: World, logger: ReturnType<typeof createLogger>) {
  const app = createApp({
    db: w.db,
    database: w.database,
    clock: w.clock,
    logger,
    publicUrl: "http://tvpb.test",
    mail: { linkSecret: TEST_LINK_SECRET },
  });
  const mailDeps = {
    db: w.db,
    clock: w.clock,
    mailer: w.mailer,
    templates: createEmailTemplates({ dir: path.join(root, "templates", "emails") }),
    publicUrl: "http://tvpb.test",
    linkSecret: TEST_LINK_SECRET,
    waitForDocuments: false, // no renderer here: letters stay unrendered, their mails go without them
  };
  const effectWorker = createEffectWorker({
    db: w.db,
    organizations: () => [w.org.id],
    clock: w.clock,
    logger,
    onFailed: (effect, err) => reportMailFailure(mailDeps, effect, err),
    handlers: {
      mail: createSendMail(mailDeps),
      render: createRenderDocument({ db: w.db, render: null, unavailableReason: () => "no browser in this test" }),
    },
  });
  const deadlineWorker = createDeadlineWorker({ db: w.db, organizations: () => [w.org.id], clock: w.clock, logger });
  const as = (key: Parameters<World["as"]>[0]) => {
    const token = w.tokens[w.userFor(key).id];
    const auth = (r: request.Test) => r.set("Authorization", `Bearer ${token}`);
    return {
      get: (url: string) => auth(request(app).get(url)),
      post: (url: string, body?: object) => auth(request(app).post(url)).send(body ?? {}),
      put: (url: string, body?: object) => auth(request(app).put(url)).send(body ?? {}),
      patch: (url: string, body?: object) => auth(request(app).patch(url)).send(body ?? {}),
      delete: (url: string) => auth(request(app).delete(url)),
      upload: (url: string) => auth(request(app).post(url)),
    };
  };
  const settled = async () => {
    for (let i = 0; i < 20; i++) if (!((await deadlineWorker.drain()) + (await effectWorker.drain()))) return;
  };
  return { ...w, app, as, settled } as World;
}

const cookieOf = (res: request.Response, name: string) =>
  ([] as string[])
    .concat(res.headers["set-cookie"] ?? [])
    .find((c) => c.startsWith(`${name}=`))
    ?.split(";")[0]
    .slice(name.length + 1);

describe("secrets never reach the logs", () => {
  it("scrubs tokens, cookies, CSRF values and link tokens from strings", () => {
    const link =
      "http://tvpb.test/invitations/respond?token=eyJ2IjoxLCJwIjoic2lnbmluIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ&a=1";
    const text = scrubSecrets(
      `GET ${link} Authorization: Bearer tvpb_abcdefghijklmnopqrstuvwxyz012345 ` +
        "Cookie: tvpb_session=s3cr3t-session-value; tvpb_lang=vi x-csrf=?_csrf=abc postgres://tvpb:hunter2@db:5432/tvpb",
    );
    for (const secret of ["eyJ2Ijox", "abcdefghijklmnop", "s3cr3t-session-value", "_csrf=abc", "hunter2"])
      expect(text).not.to.contain(secret);
    expect(text).to.contain("tvpb_lang=vi").and.contain("&a=1").and.contain(REDACTED);
  });

  it("logs a whole lifecycle with links, sessions and failures without one token, cookie or CSRF value", async function () {
    this.timeout(300_000);
    const base = await createWorld();
    const log = capturedLogger();
    const w = loggedWorld(base, log.logger);
    const secrets = new Set<string>(Object.values(base.tokens));
    const remember = (...values: Array<string | undefined>) =>
      values.forEach((v) => {
        expect(v, "a secret the test uses").to.be.a("string").with.length.greaterThan(8);
        secrets.add(v!);
      });

    // The secretariat signs in with a password, keeps the session and makes itself an API token.
    const password = "mat-khau-rat-dai-2026";
    const secretariat = w.userFor("secretariat");
    await w.db
      .update(users)
      .set({ passwordHash: await hashPassword(password) })
      .where(eq(users.id, secretariat.id));
    const login = await request(w.app).post("/api/v1/auth/login").send({ email: secretariat.email, password });
    expect(login.status, JSON.stringify(login.body)).to.equal(200);
    const session = cookieOf(login, "tvpb_session");
    const csrf = login.body.data.csrfToken as string;
    remember(password, session, csrf);
    const made = await request(w.app)
      .post("/api/v1/tokens")
      .set("Cookie", `tvpb_session=${session}`)
      .set("X-CSRF-Token", csrf)
      .send({ name: "tích hợp" });
    expect(made.status, JSON.stringify(made.body)).to.equal(201);
    remember(made.body.data.token);
    expect(
      (await request(w.app).get("/api/v1/assignments").set("Authorization", "Bearer tvpb_wrong-token-0123456789abcdef"))
        .status,
    ).to.equal(401);
    secrets.add("tvpb_wrong-token-0123456789abcdef");

    const a = await placeOrder(w, {
      type: "consultancy",
      forms: ["expert_group", "written"],
      subjectKind: "ke_hoach",
      title: "Kế hoạch ứng dụng khoa học công nghệ trong sản xuất nông nghiệp",
    });
    await toPlanning(w, a.id);
    await send(w, "secretariat", a.id, {
      type: "plan.submit",
      workPlan: "Họp Hội đồng và hội thảo; 15 ngày nhận xét.",
      costEstimate: 45000000,
      reviewDays: 15,
    });
    // A newcomer without an account chairs; two registered experts are members.
    const [newcomer] = await w.db
      .insert(experts)
      .values({
        organizationId: w.org.id,
        fullName: "Lường Thị Hoa",
        degree: "TS.",
        fields: ["Dược liệu"],
        email: `hoa-${w.org.id.slice(0, 8)}@test.vn`,
        searchText: expertSearchText({ fullName: "Lường Thị Hoa", degree: "TS.", fields: ["Dược liệu"] }),
      })
      .returning();
    await send(w, "secretariat", a.id, {
      type: "panel.invite",
      members: [
        { expertId: newcomer.id, role: "chair" },
        { expertId: w.experts[0].id, role: "member" },
        { expertId: w.experts[1].id, role: "member" },
      ],
    });
    // The first delivery of the newcomer's invitation fails, the relay quoting the link back.
    let failedOnce = false;
    base.mailer.failNext = (m) => {
      const quoted = /http:\/\/tvpb\.test\/invitations\/respond\?token=\S+/.exec(m.text)?.[0];
      if (failedOnce || !quoted || m.to[0].address !== newcomer.email) return undefined;
      failedOnce = true;
      return new Error(`451 Temporary failure, line rejected: ${quoted}`);
    };
    await w.settled();
    w.clock.advance(60_000);
    await w.settled();
    expect(failedOnce).to.equal(true);
    const linksIn = (address: string, kind: RegExp) =>
      base.mailer.sent.filter((m) => m.to[0].address === address).flatMap((m) => [...m.text.matchAll(kind)]);
    const [acceptLink, declineLink] = linksIn(newcomer.email!, /\/invitations\/respond\?token=([A-Za-z0-9_.-]+)/g);
    remember(acceptLink[1], declineLink[1]);

    // The newcomer answers on the link page (a form cookie and a nonce) and is signed in; the used
    // link opened again asks for a sign-in link by mail.
    const agent = request.agent(w.app);
    const page = await agent.get(`/invitations/respond?token=${acceptLink[1]}`);
    expect(page.status).to.equal(200);
    const nonce = /name="nonce" value="([^"]*)"/.exec(page.text)?.[1];
    remember(nonce, cookieOf(page, "tvpb_form"));
    const answered = await agent
      .post("/invitations/respond")
      .type("form")
      .send({ token: acceptLink[1], nonce, noConflict: "yes", confidentiality: "yes" });
    expect(answered.status, answered.text).to.equal(303);
    remember(cookieOf(answered, "tvpb_session"));
    expect((await request(w.app).get(`/invitations/respond?token=${acceptLink[1]}x`)).status).to.equal(400);
    const reused = await agent.get(`/invitations/respond?token=${acceptLink[1]}`);
    expect(reused.status).to.equal(409);
    const reusedNonce = /name="nonce" value="([^"]*)"/.exec(reused.text)?.[1];
    remember(reusedNonce);
    const asked = await agent
      .post("/invitations/signin")
      .type("form")
      .send({ token: acceptLink[1], nonce: reusedNonce });
    expect(asked.status, asked.text).to.equal(200);
    await w.settled();
    const [account] = await w.db
      .select()
      .from(users)
      .where(and(eq(users.organizationId, w.org.id), eq(users.expertId, newcomer.id)));
    const signinUrl = linksIn(
      account.email,
      /http:\/\/tvpb\.test(\/auth\/link\?token=([A-Za-z0-9_.-]+)&a=[0-9a-f-]+)/g,
    )[0];
    remember(signinUrl[2]);
    const signinAgent = request.agent(w.app);
    const signinPage = await signinAgent.get(signinUrl[1]);
    const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(signinPage.text)?.[1];
    remember(field("nonce"), cookieOf(signinPage, "tvpb_form"));
    const signed = await signinAgent
      .post("/auth/link")
      .type("form")
      .send({ token: field("token"), nonce: field("nonce"), a: field("a") });
    expect(signed.status, signed.text).to.equal(303);
    const expertSession = cookieOf(signed, "tvpb_session");
    remember(expertSession);
    expect(
      (await request(w.app).get(`/api/v1/assignments/${a.id}`).set("Cookie", `tvpb_session=${expertSession}`)).status,
    ).to.equal(200);

    for (const i of [0, 1]) await accept(w, a.id, i);
    await send(w, "secretariat", a.id, { type: "panel.submit" });
    await send(w, "leadership", a.id, { type: "panel.approve" });
    await submitOpinions(w, a.id, [0, 1]);
    await send(w, "secretariat", a.id, { type: "review.close" });
    await toIssuing(w, a.id, false);
    const closed = await toClosed(w, a.id);
    expect(closed.state).to.equal("closed");
    await w.settled();

    // An unexpected error whose message carries a token and a link is logged, scrubbed.
    const boom = new Error(
      `upstream said: Authorization: Bearer ${made.body.data.token} for /auth/link?token=${signinUrl[2]}`,
    );
    const res = { headersSent: true } as unknown as Response;
    errorHandler(log.logger)(
      boom,
      { path: "/x", headers: {}, accepts: () => false } as unknown as Request,
      res,
      () => undefined,
    );

    const text = log.text();
    expect(text).to.contain("/invitations/respond?token=[redacted]");
    expect(text).to.contain("/auth/link?token=[redacted]");
    expect(text).to.contain("effect.mail.retry");
    expect(text).to.contain("request failed");
    const leaked = [...secrets].filter((s) => text.includes(s));
    expect(leaked, "secrets found in the log").to.deep.equal([]);
  });
});
