import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { openDatabase, type Database } from "../../server/db/connect.js";
import { dbKind, freshDatabaseUrl } from "../support/db.js";

/** A free port on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function poll<T>(what: string, ms: number, f: () => Promise<T | undefined>): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 500))) {
    const v = await f().catch(() => undefined);
    if (v !== undefined) return v;
  }
  throw new Error(`timed out: ${what}`);
}

/** A Bearer token for a demo account (log in with the session cookie and CSRF token, then create one). */
async function tokenFor(base: string, email: string): Promise<string> {
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: "tvpb-demo-2026" }),
  });
  const csrf = ((await login.json()) as { data: { csrfToken: string } }).data.csrfToken;
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const t = await fetch(`${base}/api/v1/tokens`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie, "x-csrf-token": csrf },
    body: JSON.stringify({ name: "backup test" }),
  });
  return ((await t.json()) as { data: { token: string } }).data.token;
}

/** The environment of an installation: only what the test sets (nothing inherited from the run). */
function installationEnv(dataDir: string, databaseUrl: string | undefined, extra: Record<string, string> = {}) {
  return {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? os.tmpdir(),
    NODE_ENV: "development",
    DATA_DIR: dataDir,
    LOG_LEVEL: "warn",
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...extra,
  };
}

/** Runs a script (backup, restore) in an installation's environment; resolves to its exit code and output. */
function runScript(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ["--import", "tsx", ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    p.stdout.on("data", (c: Buffer) => (out += c.toString()));
    p.stderr.on("data", (c: Buffer) => (err += c.toString()));
    p.on("exit", (code) => resolve({ code, out, err }));
  });
}

/** Runs a script that must succeed; returns its standard output. */
async function npmRun(args: string[], env: Record<string, string>): Promise<string> {
  const r = await runScript(args, env);
  if (r.code !== 0) throw new Error(`${args.join(" ")} failed (${r.code}): ${r.err}`);
  return r.out;
}

type Row = Record<string, unknown>;
const byId = (rows: Row[]) => new Map(rows.map((r) => [String(r.id), JSON.stringify(r)]));

/** Waits until the running demo's workers have issued its documents; returns the bytes the API serves. */
async function servedDocuments(base: string): Promise<Map<string, Buffer>> {
  const clerk = await tokenFor(base, "vanthu@demo.tvpb.vn");
  const api = (p: string) => fetch(`${base}/api/v1${p}`, { headers: { authorization: `Bearer ${clerk}` } });
  const issued = await poll("the demo's documents to be issued", 300_000, async () => {
    const list = ((await (await api("/documents")).json()) as { data: Array<{ id: string; status: string }> }).data;
    return list.length && list.every((d) => d.status === "issued") ? list : undefined;
  });
  const served = new Map<string, Buffer>();
  for (const d of issued) served.set(d.id, Buffer.from(await (await api(`/documents/${d.id}/pdf`)).arrayBuffer()));
  return served;
}

const ORDERED_TITLE = "Kế hoạch sao lưu dữ liệu trong lúc hệ thống đang chạy";

/** A write while the demo runs: the agency orders a new assignment. Returns the HTTP status. */
async function orderWhileRunning(base: string): Promise<number> {
  const agency = await tokenFor(base, "coquan@demo.tvpb.vn");
  const ordered = await fetch(`${base}/api/v1/assignments`, {
    method: "POST",
    headers: { authorization: `Bearer ${agency}`, "content-type": "application/json" },
    body: JSON.stringify({
      type: "consultancy",
      forms: ["expert_group", "written"],
      subjectKind: "ke_hoach",
      title: ORDERED_TITLE,
      orderNumber: "99/UBND-KGVX",
      orderDate: "2026-11-20",
    }),
  });
  return ordered.status;
}

/** The restored database holds every assignment, every history row from before the backup, every document byte. */
async function compareDatabases(from: Database, to: Database, served: Map<string, Buffer>, backupStarted: Date) {
  const q = (d: Database, sql: string) => d.query<Row>(sql);
  const assignments = "select id, code, title, state, version, snapshot from assignments order by id";
  expect(await q(to, assignments)).to.deep.equal(await q(from, assignments));
  expect((await q(to, assignments)).map((a) => a.title)).to.include(ORDERED_TITLE);
  // Every history row written before the backup, unchanged; nothing the source does not have.
  const sourceHistory = byId(await q(from, "select * from history"));
  const restoredHistory = byId(await q(to, "select * from history"));
  for (const [id, row] of restoredHistory) expect(sourceHistory.get(id), `history ${id}`).to.equal(row);
  const before = await q(from, `select id from history where created_at < '${backupStarted.toISOString()}'`);
  expect(before.length).to.be.above(0);
  for (const { id } of before) expect(restoredHistory.has(String(id)), `history ${String(id)}`).to.equal(true);
  // Every document byte: the restored blobs are exactly what the API served before the backup.
  expect(served.size).to.be.above(0);
  for (const [id, bytes] of served) {
    const [doc] = await q(
      to,
      `select d.status, b.bytes from documents d join blobs b on b.sha256 = d.sha256 where d.id = '${id}'`,
    );
    expect(doc.status).to.equal("issued");
    expect(Buffer.from(doc.bytes as Uint8Array).equals(bytes), `document ${id}`).to.equal(true);
  }
  const blobs = "select sha256, md5(bytes) as m from blobs order by sha256";
  expect(await q(to, blobs)).to.deep.equal(await q(from, blobs));
}

describe(`backup and restore of a running demo (${dbKind()})`, function () {
  this.timeout(900_000);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tvpb-backup-test-"));
  const cleanups: Array<() => Promise<void> | void> = [() => fs.rmSync(scratch, { recursive: true, force: true })];
  let server: ChildProcess | undefined;
  after(async () => {
    server?.kill("SIGKILL");
    for (const c of cleanups.reverse()) await c();
  });

  it("backs up while TVPB runs, restores elsewhere, and finds every assignment, document byte and history row", async () => {
    const source = await freshDatabaseUrl("tvpb_backup_src");
    const target = await freshDatabaseUrl("tvpb_backup_dst");
    cleanups.push(source.drop, target.drop);
    const sourceDir = path.join(scratch, "source");
    const targetDir = path.join(scratch, "target");
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, ["scripts/start.mjs"], {
      env: installationEnv(sourceDir, source.url, { PORT: String(port), SEED_DEMO: "true", WORKER_POLL_MS: "200" }),
      stdio: ["ignore", "ignore", "inherit"],
    });
    const exited = new Promise((r) => server!.once("exit", r));
    await poll("the demo to start", 180_000, async () => ((await fetch(`${base}/readyz`)).ok ? true : undefined));

    const served = await servedDocuments(base);
    expect(await orderWhileRunning(base)).to.equal(201);

    const backupStarted = new Date();
    const env = installationEnv(sourceDir, source.url);
    const dir = (await npmRun(["scripts/backup.ts", "--out", path.join(scratch, "backups")], env)).trim();
    expect((await fetch(`${base}/readyz`)).ok, "still running after the backup").to.equal(true);
    server.kill("SIGTERM");
    await exited;
    server = undefined;

    await npmRun(["scripts/restore.ts", dir], installationEnv(targetDir, target.url));
    // A second restore into the now non-empty installation is refused.
    const again = await runScript(["scripts/restore.ts", dir], installationEnv(targetDir, target.url));
    expect(again.code).to.equal(1);
    expect(again.err).to.match(/not empty|already holds/);

    const from = await openDatabase({ databaseUrl: source.url, dataDir: sourceDir, migrate: false });
    const to = await openDatabase({ databaseUrl: target.url, dataDir: targetDir, migrate: false });
    try {
      await compareDatabases(from, to, served, backupStarted);
    } finally {
      await from.close();
      await to.close();
    }
    // The stored files came along (the demo's mails in the outbox).
    const outbox = (d: string) => fs.readdirSync(path.join(d, "outbox"), { recursive: true }).map(String).sort();
    expect(outbox(targetDir)).to.deep.equal(outbox(path.join(dir, "files")));
    expect(outbox(targetDir).length).to.be.above(0);
  });
});
