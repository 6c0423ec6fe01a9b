/**
 * First set-up (issue 11 §1): `npm run setup` non-interactively on an empty database (PostgreSQL in
 * production when the run has DATABASE_URL, else the embedded database), then the server: the
 * administrator signs in through the API and works. And the first-run page `/setup`, guarded by
 * the one-time code the server prints.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import request from "supertest";
import { loadConfig } from "../../server/config.js";
import { firstRunCode, startTvpb, type Tvpb } from "../../server/server.js";
import { createApp } from "../../server/app.js";
import { openDatabase, type Database } from "../../server/db/connect.js";
import { systemClock } from "../../server/runtime/clock.js";
import { freshDatabaseUrl } from "../support/db.js";
import { silentLogger } from "../support/testApp.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const ADMIN_PASSWORD = "Quản-trị#2026-an-toàn";

const UNION = [
  ...["--name", "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Hà Giang", "--short-name", "LHH"],
  ...["--place", "Hà Giang", "--province", "Hà Giang"],
  ...["--admin-email", "quantri@lhh-hagiang.vn", "--admin-name", "Nguyễn Văn Quản"],
];

/** The environment of a fresh installation: production on PostgreSQL, else development on PGlite. */
function installation(url: string | undefined, dataDir: string): Record<string, string> {
  const common = { DATA_DIR: dataDir, LOG_LEVEL: "silent", PORT: "0", CHROMIUM_SOURCE: "system" };
  return url
    ? { ...common, NODE_ENV: "production", DATABASE_URL: url, PUBLIC_URL: "https://tvpb.example.vn" }
    : { ...common, NODE_ENV: "development", SEED_DEMO: "false" };
}

function runSetup(env: Record<string, string>, args: string[]) {
  const r = spawnSync(path.join(root, "node_modules/.bin/tsx"), ["scripts/setup.ts", "--non-interactive", ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", HOME: os.tmpdir(), SESSION_SECRET: "s".repeat(40), ...env },
    encoding: "utf8",
    timeout: 600_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

async function start(env: Record<string, string>): Promise<Tvpb> {
  const config = loadConfig({ ...env, SESSION_SECRET: "s".repeat(40) });
  return startTvpb({ config, logger: silentLogger, workers: false });
}

function appDeps(database: Database) {
  return { db: database.db, database, clock: systemClock, logger: silentLogger, publicUrl: "https://tvpb.example.vn" };
}

async function signIn(tvpb: Pick<Tvpb, "app">, email: string, password: string) {
  const res = await request(tvpb.app).post("/api/v1/auth/login").send({ email, password });
  // The cookie is Secure behind an https PUBLIC_URL; the test speaks plain HTTP, so it sends it itself.
  const cookie = ((res.headers["set-cookie"] as unknown as string[] | undefined) ?? []).map((c) => c.split(";")[0]);
  const agent = {
    get: (url: string) => request(tvpb.app).get(url).set("cookie", cookie.join("; ")),
    post: (url: string) => request(tvpb.app).post(url).set("cookie", cookie.join("; ")),
  };
  return { res, agent, csrf: (res.body as { data?: { csrfToken: string } }).data?.csrfToken ?? "" };
}

describe("first set-up", function () {
  this.timeout(1_200_000);
  const cleanup: Array<() => Promise<unknown> | void> = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });

  async function emptyInstallation(prefix: string) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `tvpb-${prefix}-`));
    const db = await freshDatabaseUrl(prefix);
    cleanup.push(db.drop, () => fs.rmSync(dataDir, { recursive: true, force: true }));
    return installation(db.url, dataDir);
  }

  it("npm run setup (non-interactive) then the server: the administrator signs in and works", async () => {
    const env = await emptyInstallation("setup_cli");
    const weak = runSetup(env, [...UNION, "--admin-password", "password123"]);
    expect(weak.status, weak.out).to.equal(1);
    expect(weak.out).to.include("weak_password");

    const ok = runSetup(env, [...UNION, "--admin-password", ADMIN_PASSWORD]);
    expect(ok.status, ok.out).to.equal(0);
    expect(ok.out).to.match(/Đăng nhập tại: \S+\/login/);

    const tvpb = await start(env);
    cleanup.push(() => tvpb.stop());
    expect(tvpb.setupCode, "no first-run page once set up").to.equal(null);
    const { res, agent, csrf } = await signIn(tvpb, "quantri@lhh-hagiang.vn", ADMIN_PASSWORD);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.data.roles).to.deep.equal(["admin"]);
    const settings = await agent.get("/api/v1/settings");
    expect(settings.status).to.equal(200);
    expect(settings.body.data.settings.place).to.equal("Hà Giang");
    expect(settings.body.data.settings.issuerAbbr).to.equal("LHH");
    const user = await agent
      .post("/api/v1/users")
      .set("x-csrf-token", csrf)
      .send({ email: "banthuky@lhh-hagiang.vn", fullName: "Trần Thị Thư", roles: ["secretariat"] });
    expect(user.status, JSON.stringify(user.body)).to.equal(201);
    await tvpb.stop();
    const again = runSetup(env, [...UNION, "--admin-password", ADMIN_PASSWORD]);
    expect(again.status, "a second set-up is refused").to.equal(1);
    expect(again.out).to.include("already_set_up");
  });

  it("the first-run page asks for the setup code the server printed, then disappears", async () => {
    const fresh = await freshDatabaseUrl("setup_page");
    const database = await openDatabase(fresh.url ? { databaseUrl: fresh.url } : { memory: true });
    cleanup.push(fresh.drop, () => database.close());
    const code = await firstRunCode(database.db, "https://tvpb.example.vn", silentLogger);
    expect(code).to.match(/^[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}$/);
    const app = createApp({ ...appDeps(database), setupCode: code });
    const tvpb = { app, setupCode: code, clock: systemClock };
    expect((await request(tvpb.app).get("/setup")).status).to.equal(200);
    const form = {
      name: "Liên hiệp các Hội KH&KT tỉnh Cao Bằng",
      shortName: "LHH",
      place: "Cao Bằng",
      province: "Cao Bằng",
      adminEmail: "quantri@lhh-caobang.vn",
      adminName: "Hoàng Văn Cao",
      adminPassword: ADMIN_PASSWORD,
    };
    const wrong = await request(tvpb.app)
      .post("/setup")
      .type("form")
      .send({ ...form, code: "0000-0000-0000" });
    expect(wrong.status).to.equal(403);
    const weakPw = { ...form, code: tvpb.setupCode!, adminPassword: "abc" };
    const weak = await request(tvpb.app).post("/setup").type("form").send(weakPw);
    expect(weak.status).to.equal(400);
    expect(weak.text).to.include("12 ký tự");
    const done = await request(tvpb.app)
      .post("/setup")
      .type("form")
      .send({ ...form, code: tvpb.setupCode! });
    expect(done.status, done.text.slice(0, 300)).to.equal(303);
    expect(done.headers.location).to.equal("/login?setUp=1");
    expect((await request(tvpb.app).get("/setup")).status).to.equal(404);
    const again = await request(tvpb.app)
      .post("/setup")
      .type("form")
      .send({ ...form, code: tvpb.setupCode! });
    expect(again.status).to.equal(404);
    const { res } = await signIn(tvpb, form.adminEmail, ADMIN_PASSWORD);
    expect(res.status).to.equal(200);
  });
});
