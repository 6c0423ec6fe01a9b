/**
 * `npm run backup`: a consistent backup of a TVPB installation into a new folder
 * `tvpb-backup-<time>` — the database (PostgreSQL: pg_dump custom format of an exported snapshot;
 * PGlite: a dump of the data directory, asked of the running server or taken directly when it is
 * stopped), the stored files outside the database, and manifest.json with a SHA-256 of every file
 * and each table's row count and checksum (what a restore is checked against).
 */
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Config } from "../config.js";
import { openDatabase } from "../db/connect.js";
import { answerFile, requestFile, signalFile, type BackupAnswer } from "./backupRequests.js";
import { copyStoredFiles, sha256File, type StoredFile } from "./backupFiles.js";
import { runPgTool } from "./pgTools.js";
import { tableChecksums, type TableChecksums } from "./tableChecksums.js";
import { loadPgliteDump } from "./pgliteDump.js";

/** manifest.json of a backup. */
export type BackupManifest = {
  format: "tvpb-backup";
  formatVersion: 1;
  createdAt: string;
  database: { kind: "postgres" | "pglite"; file: string; size: number; sha256: string; tables: TableChecksums };
  files: StoredFile[];
};

/** Progress lines for the operator. */
export type BackupLog = (message: string) => void;

/**
 * Writes a backup of the installation `config` describes into a new folder under `outDir`.
 * @throws Error when the database cannot be dumped (the partial folder is removed).
 */
export async function createBackup(o: { config: Config; outDir: string; log?: BackupLog }): Promise<{
  dir: string;
  manifest: BackupManifest;
}> {
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  const dir = path.resolve(o.outDir, `tvpb-backup-${stamp}`);
  const partial = path.resolve(o.outDir, `.partial-tvpb-backup-${stamp}`);
  if (existsSync(dir)) throw new Error(`${dir} exists already`);
  mkdirSync(partial, { recursive: true });
  try {
    const database = o.config.databaseUrl
      ? await dumpPostgres(o.config.databaseUrl, partial, o.log)
      : await dumpPglite(o.config.dataDir, partial, o.log);
    const files = copyStoredFiles(o.config.dataDir, partial);
    o.log?.(`${files.length} stored file(s) copied`);
    const manifest: BackupManifest = {
      format: "tvpb-backup",
      formatVersion: 1,
      createdAt: new Date().toISOString(),
      database,
      files,
    };
    writeFileSync(path.join(partial, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
    renameSync(partial, dir);
    return { dir, manifest };
  } catch (err) {
    rmSync(partial, { recursive: true, force: true });
    throw err;
  }
}

function describe(dir: string, file: string) {
  const full = path.join(dir, file);
  return { file, size: statSync(full).size, sha256: sha256File(full) };
}

/** pg_dump of a snapshot exported by a transaction that sums the same snapshot's tables. */
async function dumpPostgres(url: string, dir: string, log?: BackupLog): Promise<BackupManifest["database"]> {
  const pg = (await import("pg")).default;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("begin isolation level repeatable read read only");
    const { rows } = await client.query<{ id: string }>("select pg_export_snapshot() as id");
    const dumping = runPgTool("pg_dump", url, [
      "--format=custom",
      `--snapshot=${rows[0].id}`,
      "--no-owner",
      "--no-privileges",
      `--file=${path.join(dir, "database.dump")}`,
    ]);
    dumping.catch(() => undefined); // awaited below, after the sums
    const tables = await tableChecksums(async (sql) => (await client.query(sql)).rows);
    await dumping;
    await client.query("commit");
    log?.(`PostgreSQL dumped (${Object.keys(tables).length} tables)`);
    return { kind: "postgres", ...describe(dir, "database.dump"), tables };
  } finally {
    await client.end();
  }
}

/** The pid of the live server holding the PGlite data directory, if any. */
function runningServer(dataDir: string): number | null {
  const lock = path.join(dataDir, "pglite.lock");
  if (!existsSync(lock)) return null;
  const pid = Number(readFileSync(lock, "utf8"));
  try {
    if (pid && pid !== process.pid) process.kill(pid, 0);
    return pid && pid !== process.pid ? pid : null;
  } catch {
    return null;
  }
}

/** The PGlite data directory as tar.gz, from the running server or directly; summed after loading it. */
async function dumpPglite(dataDir: string, dir: string, log?: BackupLog): Promise<BackupManifest["database"]> {
  const file = path.join(dir, "pglite-data.tar.gz");
  const pid = runningServer(dataDir);
  if (pid) {
    await askServer(dataDir, pid, file);
    log?.(`the running server (pid ${pid}) dumped the embedded database`);
  } else {
    const database = await openDatabase({ dataDir, migrate: false });
    try {
      writeFileSync(file, Buffer.from(await (await database.dumpDataDir!()).arrayBuffer()));
    } finally {
      await database.close();
    }
    log?.("embedded database dumped (no server was running)");
  }
  const tables = await loadPgliteDump(file, null, (run) => tableChecksums(run));
  return { kind: "pglite", ...describe(dir, "pglite-data.tar.gz"), tables };
}

/** Asks the server `pid` for a dump into `target` (see backupRequests.ts) and waits up to 10 minutes. */
async function askServer(dataDir: string, pid: number, target: string): Promise<void> {
  const listening = existsSync(signalFile(dataDir)) ? Number(readFileSync(signalFile(dataDir), "utf8")) : null;
  if (listening !== pid)
    throw new Error(
      `TVPB (pid ${pid}) is using ${dataDir} but does not take backup requests; ` +
        "upgrade it, or stop it and run the backup again",
    );
  const id = randomUUID();
  writeFileSync(requestFile(dataDir, id), JSON.stringify({ id, target }));
  process.kill(pid, "SIGUSR2");
  const done = answerFile(dataDir, id);
  for (const end = Date.now() + 600_000; !existsSync(done);) {
    if (Date.now() > end) throw new Error(`TVPB (pid ${pid}) did not answer the backup request in 10 minutes`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const answer = JSON.parse(readFileSync(done, "utf8")) as BackupAnswer;
  rmSync(done, { force: true });
  if (!answer.ok) throw new Error(`the server could not dump the database: ${answer.error}`);
}
