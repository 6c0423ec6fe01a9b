/**
 * `npm run bench [-- name …] [-- --smoke]`: runs the benchmarks (all, or those named; a name also
 * selects its variants, so `transitions` runs `transitions` and `transitions-pglite`; optional
 * ones, like `scale-pglite`, run only when named), each in
 * its own child process, product and baseline back to back in that process, and prints one
 * table. A full run (no names, no --smoke) also rewrites the results block of docs/BENCHMARKS.md.
 *
 * Each child runs in a process group of its own; one killed at its time limit (BENCH_TIMEOUT_S lowers
 * every limit) takes its whole tree with it — servers, browsers — and the table says which rows did
 * not finish and why.
 *
 * PostgreSQL: a throwaway cluster (scripts/pg-test.sh, port 55470, /tmp/tvpb-bench-pg) unless
 * BENCH_DATABASE_URL names an admin URL; each benchmark creates and drops its own database.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { killOrphanedGroups, killTree, treeGroups, type Benchmark, type BenchContext, type Row } from "./lib.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");

/** `optional` benchmarks run only when named (they take longer than the ~10 minutes of the default set). */
type Entry = {
  name: string;
  what: string;
  postgres: boolean;
  load: () => Promise<Benchmark>;
  timeoutMs: number;
  optional?: boolean;
};

/** Every benchmark, in the order of the table. */
const BENCHMARKS: Entry[] = [
  {
    name: "transitions",
    what: "HTTP events vs bare SQL, 16 clients, PostgreSQL",
    postgres: true,
    timeoutMs: 180_000,
    load: async () => (await import("./transitions.js")).transitionsPostgres,
  },
  {
    name: "transitions-pglite",
    what: "HTTP events vs bare SQL, 16 clients, PGlite",
    postgres: false,
    timeoutMs: 180_000,
    load: async () => (await import("./transitions.js")).transitionsPglite,
  },
  {
    name: "pdf",
    what: "10-page final report vs raw page.pdf()",
    postgres: false,
    timeoutMs: 300_000,
    load: async () => (await import("./pdf.js")).pdf,
  },
  {
    name: "mail",
    what: "1,000 queued mails with a PDF vs raw pooled nodemailer",
    postgres: true,
    timeoutMs: 300_000,
    load: async () => (await import("./mail.js")).mail,
  },
  {
    name: "scale",
    what: "100,000 assignments, 1,000,000 history rows, PostgreSQL",
    postgres: true,
    timeoutMs: 600_000,
    load: async () => (await import("./scale.js")).scalePostgres,
  },
  {
    name: "scale-pglite",
    what: "the same on PGlite (only when named)",
    postgres: false,
    timeoutMs: 900_000,
    optional: true,
    load: async () => (await import("./scale.js")).scalePglite,
  },
  {
    name: "deadlines",
    what: "10,000 deadlines due at once",
    postgres: true,
    timeoutMs: 600_000,
    load: async () => (await import("./deadlines.js")).deadlines,
  },
  {
    name: "load",
    what: "32 clients, reads and event writes, 2 minutes, two processes, PostgreSQL",
    postgres: true,
    timeoutMs: 900_000,
    load: async () => (await import("./load.js")).load,
  },
  {
    name: "startup",
    what: "npm start to /readyz on an existing data directory",
    postgres: false,
    timeoutMs: 180_000,
    load: async () => (await import("./startup.js")).startup,
  },
];

const RESULT = "@@bench-result ";

const FAILED = "@@bench-error ";

async function child(name: string, smoke: boolean) {
  // A failure is reported in one line (and in the table), not as a dump of driver internals.
  const fail = (err: unknown) => {
    const e = err as { message?: string; code?: string };
    process.stdout.write(
      `${FAILED}${(e?.message ?? String(err)).split("\n")[0]}${e?.code ? ` (${e.code})` : ""}\n`,
      () => process.exit(1),
    );
  };
  process.on("uncaughtException", fail);
  process.on("unhandledRejection", fail);
  const entry = BENCHMARKS.find((b) => b.name === name);
  if (!entry) throw new Error(`unknown benchmark ${name}`);
  const ctx: BenchContext = {
    smoke,
    pgUrl: process.env.BENCH_PG_URL ?? "",
    log: (m) => process.stderr.write(`  [${name}] ${m}\n`),
  };
  const rows = await (await entry.load())(ctx);
  // Exit even if a library left a handle open (a browser, a pool): the result is what counts.
  process.stdout.write(`${RESULT}${JSON.stringify(rows)}\n`, () => process.exit(0));
}

/** A benchmark's time limit; BENCH_TIMEOUT_S lowers every limit (to try the harness itself). */
const limitMs = (entry: Entry) =>
  Math.min(entry.timeoutMs, Number(process.env.BENCH_TIMEOUT_S ?? Infinity) * 1000 || entry.timeoutMs);

/** Why a child ended without a result, in words for the table's notes. */
function unfinished(entry: Entry, r: ChildEnd): string {
  const why = r.error ? `: ${r.error}` : "";
  if (r.timedOut) {
    const took = r.killed.length ? `; ${r.killed.length} process(es) of its tree killed with it` : "";
    return `did not finish: stopped at its ${limitMs(entry) / 1000} s limit${took}${why}`;
  }
  if (r.signal) return `did not finish: killed by ${r.signal}${why}`;
  return `did not finish: exited with code ${r.code}${why}`;
}

type ChildEnd = {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  killed: number[];
  out: string;
  error?: string;
};

/**
 * Runs one benchmark in a child of its own process group. Past its time limit the whole tree goes:
 * every descendant's process group (browsers make their own), then the child's group; after any end
 * the child's group is killed too, so no server or browser it started outlives it.
 */
function spawnChild(entry: Entry, smoke: boolean, pgUrl: string): Promise<ChildEnd> {
  return new Promise((resolve) => {
    const p = spawn(
      process.execPath,
      ["--import", "tsx", path.join(here, "run.ts"), "--child", entry.name, ...(smoke ? ["--smoke"] : [])],
      { cwd: root, env: { ...process.env, BENCH_PG_URL: pgUrl }, stdio: ["ignore", "pipe", "inherit"], detached: true },
    );
    let out = "";
    let timedOut = false;
    let killed: number[] = [];
    p.stdout.on("data", (c: Buffer) => {
      out += c.toString();
    });
    // Every process group seen in the child's tree: a server killed by its benchmark leaves its
    // browser orphaned (parent 1, a group of its own), out of the tree's reach at the end.
    const seenGroups = new Set<number>();
    const watch = setInterval(() => {
      for (const g of treeGroups(p.pid!)) seenGroups.add(g);
    }, 1_000);
    const timer = setTimeout(() => {
      timedOut = true;
      killed = killTree(p.pid!);
      process.stderr.write(`  [${entry.name}] over its time limit: killed ${[p.pid, ...killed].join(" ")}\n`);
    }, limitMs(entry));
    p.on("exit", (code, signal) => {
      clearTimeout(timer);
      clearInterval(watch);
      killTree(p.pid!);
      const orphans = killOrphanedGroups(seenGroups);
      if (orphans.length)
        process.stderr.write(`  [${entry.name}] left behind, killed: process groups ${orphans.join(" ")}\n`);
      const error = out
        .split("\n")
        .find((l) => l.startsWith(FAILED))
        ?.slice(FAILED.length);
      resolve({ code, signal, timedOut, killed, out, error });
    });
  });
}

async function runChild(entry: Entry, smoke: boolean, pgUrl: string): Promise<Row[]> {
  const started = Date.now();
  const end = await spawnChild(entry, smoke, pgUrl);
  process.stderr.write(`  [${entry.name}] finished in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  const line = end.out.split("\n").find((l) => l.startsWith(RESULT));
  if (line && !end.timedOut) return JSON.parse(line.slice(RESULT.length)) as Row[];
  return [
    {
      benchmark: entry.name,
      product: "—",
      baseline: "—",
      ratio: "—",
      target: "—",
      met: false,
      unfinished: true,
      note: unfinished(entry, end),
    },
  ];
}

function table(rows: Row[]): string {
  const head = ["benchmark", "product", "baseline", "ratio", "target", "met?"];
  const cells = rows.map((r) => [
    r.benchmark,
    r.product,
    r.baseline,
    r.ratio,
    r.target,
    r.unfinished ? "did not finish" : r.met === null ? "n/a" : r.met ? "yes" : "NO",
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => [...c[i]].length)));
  const line = (c: string[]) => `| ${c.map((x, i) => x + " ".repeat(widths[i] - [...x].length)).join(" | ")} |`;
  return [line(head), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...cells.map(line)].join("\n");
}

function machine(pgUrl: string | null): string {
  const cpus = os.cpus();
  let pgVersion = "—";
  if (pgUrl) {
    try {
      pgVersion = execFileSync("psql", [pgUrl, "-Atc", "show server_version"], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      }).trim();
    } catch {
      // psql missing: leave the dash
    }
  }
  let chromium = "—";
  try {
    chromium = execFileSync("chromium", ["--version"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    // no chromium on PATH
  }
  const pglite = (
    JSON.parse(readFileSync(path.join(root, "node_modules/@electric-sql/pglite/package.json"), "utf8")) as {
      version: string;
    }
  ).version;
  return [
    `- CPU: ${cpus[0]?.model ?? "?"}, ${cpus.length} cores; memory ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; ` +
      `${os.type()} ${os.release()}`,
    `- Node ${process.version}; PostgreSQL ${pgVersion} (scripts/pg-test.sh: fsync=off, ` +
      `synchronous_commit=off); PGlite ${pglite}; ${chromium}`,
  ].join("\n");
}

/** Rewrites the results block of docs/BENCHMARKS.md (full runs only). */
function writeResults(r: { started: Date; minutes: string; info: string; out: string; rows: Row[] }): void {
  const doc = path.join(root, "docs/BENCHMARKS.md");
  if (!existsSync(doc)) return;
  const text = readFileSync(doc, "utf8");
  const block = [
    "<!-- bench:results (written by `npm run bench`; edit outside these markers) -->",
    `Run of ${r.started.toISOString().replace(/\.\d+Z$/, "Z")} (${r.minutes} min), \`npm run bench\`:`,
    "",
    r.info,
    "",
    r.out,
    "",
    ...r.rows.filter((x) => x.note).map((x) => `- ${x.benchmark}: ${x.note}`),
    "<!-- /bench:results -->",
  ].join("\n");
  const re = /<!-- bench:results[^>]*-->[\s\S]*?<!-- \/bench:results -->/;
  if (re.test(text)) {
    writeFileSync(doc, text.replace(re, block));
    console.log("docs/BENCHMARKS.md: results block updated");
  }
}

async function main() {
  const args = process.argv.slice(2);
  const childAt = args.indexOf("--child");
  const smoke = args.includes("--smoke");
  if (childAt >= 0)
    return child(args[childAt + 1], smoke).catch((err: unknown) => {
      process.stdout.write(`${FAILED}${err instanceof Error ? err.message.split("\n")[0] : String(err)}\n`, () =>
        process.exit(1),
      );
    });
  const names = args.filter((a) => !a.startsWith("--"));
  const unknown = names.filter((n) => !BENCHMARKS.some((b) => b.name === n || b.name.startsWith(`${n}-`)));
  if (unknown.length) {
    console.error(`Unknown benchmark(s): ${unknown.join(", ")}. Known: ${BENCHMARKS.map((b) => b.name).join(", ")}`);
    process.exit(2);
  }
  // A name selects that benchmark and its variants (`transitions` → `transitions-pglite`), but an
  // optional variant only when named itself.
  const selected = BENCHMARKS.filter((b) =>
    names.length ? names.some((n) => b.name === n || (b.name.startsWith(`${n}-`) && !b.optional)) : !b.optional,
  );
  const started = new Date();
  let pgUrl = process.env.BENCH_DATABASE_URL ?? "";
  let stopCluster: (() => void) | null = null;
  if (selected.some((b) => b.postgres) && !pgUrl) {
    const { startBenchCluster } = await import("./lib.js");
    const c = startBenchCluster();
    pgUrl = c.url;
    stopCluster = c.stop;
  }
  const rows: Row[] = [];
  let info = "";
  try {
    for (const entry of selected) {
      console.error(`== ${entry.name}: ${entry.what}${smoke ? " (smoke)" : ""}`);
      rows.push(...(await runChild(entry, smoke, pgUrl)));
    }
    info = machine(pgUrl || null);
  } finally {
    stopCluster?.();
  }
  const minutes = ((Date.now() - started.getTime()) / 60_000).toFixed(1);
  const out = table(rows);
  console.log(`\n${out}\n`);
  for (const r of rows.filter((x) => x.note)) console.log(`- ${r.benchmark}: ${r.note}`);
  console.log(
    `${rows.filter((r) => r.met === true).length} of ${rows.filter((r) => r.met !== null).length} targets met; ` +
      `${rows.filter((r) => r.unfinished).length} did not finish; ${minutes} min`,
  );
  if (!names.length && !smoke) writeResults({ started, minutes, info, out, rows });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
