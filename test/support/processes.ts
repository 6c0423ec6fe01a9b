/**
 * Real TVPB processes and a PostgreSQL cluster of a test's own, for tests (and benchmarks) about
 * several processes and database restarts: `startCluster` runs scripts/pg-test.sh on a free port in
 * a fresh folder (restartable without touching the suite's cluster); `startTvpbProcess` runs
 * server/main.ts in a child process and resolves once it listens.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const PG_BIN = "/usr/lib/postgresql/15/bin";

/** A free TCP port on 127.0.0.1 (bound and released). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Runs a shell command as the postgres user when we are root (PostgreSQL refuses to run as root). */
function asPostgres(command: string) {
  const asRoot = process.getuid?.() === 0;
  execFileSync(asRoot ? "su" : "bash", asRoot ? ["postgres", "-s", "/bin/bash", "-c", command] : ["-c", command], {
    stdio: ["ignore", "ignore", "pipe"],
  });
}

/** A throwaway PostgreSQL 15 cluster: its admin URL, and how to stop, start, restart and remove it. */
export async function startCluster() {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tvpb-cluster-"));
  const out = execFileSync("bash", [path.join(root, "scripts/pg-test.sh"), "start"], {
    env: { ...process.env, PGTEST_DIR: dir, PGTEST_PORT: String(port) },
    encoding: "utf8",
  });
  const url = /DATABASE_URL=(\S+)/.exec(out)?.[1];
  if (!url) throw new Error(`pg-test.sh printed no URL: ${out}`);
  const ctl = (args: string) => asPostgres(`${PG_BIN}/pg_ctl -D ${dir} ${args}`);
  // The server's own command line (port, sockets, settings) without the binary, to start it again as it was.
  const options = fs
    .readFileSync(path.join(dir, "postmaster.opts"), "utf8")
    .trim()
    .replace(/^\S+\s+/, "");
  return {
    url,
    dir,
    /** Fast shutdown: every connection is terminated. */
    stop: () => ctl("-m fast -w stop"),
    /** Starts it again with the options it was first started with. */
    start: () => ctl(`-w -l ${dir}/server.log start -o '${options}'`),
    restart: () => ctl("-m fast -w restart"),
    async remove() {
      try {
        ctl("-m immediate -w stop");
      } catch {
        // already stopped
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A database named `name` on the cluster at `adminUrl`; returns its URL. */
export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  const pg = (await import("pg")).default;
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(`create database ${name}`);
  await c.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

export type TvpbProcess = {
  url: string;
  child: ChildProcess;
  /** Everything it wrote on stdout and stderr so far (JSON log lines). */
  output: () => string;
  /** Whether it is still running. */
  alive: () => boolean;
  /** SIGTERM (graceful) and wait for the exit; SIGKILL after `graceMs`. */
  stop: (graceMs?: number) => Promise<void>;
};

/**
 * Starts `node --import tsx server/main.ts` with `env` over a test configuration (port 0, no demo,
 * no browser) on a free port and resolves once it answers /readyz.
 * @throws when it exits or does not listen within `timeoutMs`.
 */
export async function startTvpbProcess(env: Record<string, string>, timeoutMs = 180_000): Promise<TvpbProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tvpb-proc-"));
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "server/main.ts")], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      NODE_ENV: "test",
      HOST: "127.0.0.1",
      PORT: String(port),
      DATA_DIR: dataDir,
      SEED_DEMO: "false",
      LOG_LEVEL: "info",
      CHROMIUM_SOURCE: "none", // documents wait unless a test passes CHROMIUM_PATH
      PUBLIC_URL: "http://tvpb.test",
      ...env,
    },
  });
  let out = "";
  child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  const alive = () => child.exitCode === null && child.signalCode === null;
  const stop = async (graceMs = 20_000) => {
    if (!alive()) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    await exited;
    clearTimeout(timer);
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  const started = Date.now();
  for (;;) {
    const ready = await fetch(`${url}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) return { url, child, output: () => out, alive, stop };
    if (!alive() || Date.now() - started > timeoutMs) {
      await stop(0);
      throw new Error(`TVPB did not start: ${out.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
