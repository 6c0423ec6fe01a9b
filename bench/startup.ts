/**
 * Start-up: what `npm start` runs (`node scripts/start.mjs`: bundle with esbuild, then run) until
 * GET /readyz answers 200, on an existing data directory (the embedded database, seeded with the
 * demo by a first start that is not measured), vs `node -e ""` starting and exiting. Each start
 * is stopped with SIGTERM. A note gives the same start through tsx (`tsx server/main.ts`).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { alternate, fmt, median, root, type BenchContext, type Row } from "./lib.js";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function ready(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).status === 200;
  } catch {
    return false;
  }
}

/** Starts TVPB, returns ms until /readyz is 200, then stops it and waits for the exit. */
/** The two ways to start: `npm start`'s command, and the TypeScript sources through tsx. */
const COMMANDS = {
  npmStart: [process.execPath, ["scripts/start.mjs"]],
  tsx: [path.join(root, "node_modules/.bin/tsx"), ["server/main.ts"]],
} as const;

async function startOnce(dataDir: string, timeoutMs: number, how: keyof typeof COMMANDS = "npmStart"): Promise<number> {
  const port = await freePort();
  const s = performance.now();
  const [cmd, args] = COMMANDS[how];
  const child = spawn(cmd, [...args], {
    cwd: root,
    stdio: ["ignore", "ignore", "pipe"],
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      NODE_ENV: "development",
      DATABASE_URL: "",
      SMTP_URL: "",
    },
  });
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    for (;;) {
      if (await ready(`http://127.0.0.1:${port}/readyz`)) return performance.now() - s;
      if (child.exitCode !== null) throw new Error(`${how} exited with ${child.exitCode}: ${stderr.slice(-500)}`);
      if (performance.now() - s > timeoutMs) throw new Error(`not ready after ${timeoutMs} ms: ${stderr.slice(-500)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
}

function nodeEmpty(): Promise<number> {
  const s = performance.now();
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
    p.once("error", reject);
    p.once("exit", () => resolve(performance.now() - s));
  });
}

export async function startup(ctx: BenchContext): Promise<Row[]> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "tvpb-bench-start-"));
  try {
    // First start: creates the embedded database and seeds the demo (not measured).
    const first = await startOnce(dataDir, 120_000);
    ctx.log(`first start (creates ./data and seeds the demo): ${fmt(first / 1000, 2)} s`);
    const rounds = ctx.smoke ? 3 : 5;
    const runs = await alternate(
      rounds,
      () => startOnce(dataDir, 60_000),
      () => nodeEmpty(),
    );
    const p = median(runs.product);
    const b = median(runs.baseline);
    ctx.log(
      `npm start: ${runs.product.map((x) => fmt(x / 1000, 2)).join(", ")} s; node -e: ` +
        `${runs.baseline.map((x) => fmt(x, 0)).join(", ")} ms`,
    );
    const viaTsx: number[] = [];
    for (let i = 0; i < (ctx.smoke ? 1 : 3); i++) viaTsx.push(await startOnce(dataDir, 60_000, "tsx"));
    ctx.log(`tsx server/main.ts: ${viaTsx.map((x) => fmt(x / 1000, 2)).join(", ")} s`);
    return [
      {
        benchmark: "start-up to /readyz (existing data dir)",
        product: `${fmt(p / 1000, 2)} s`,
        baseline: `${fmt(b, 0)} ms (node -e "")`,
        ratio: `${fmt(p / b, 1)}×`,
        target: "< 3 s",
        met: p < 3000,
        note:
          `first start on an empty directory (creates the embedded database, seeds the demo): ` +
          `${fmt(first / 1000, 1)} s; the same start through tsx instead of the bundle: ` +
          `${fmt(median(viaTsx) / 1000, 2)} s`,
      },
    ];
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
