/**
 * `npm run restore -- <backup folder>`: brings a backup back into an EMPTY database of the same
 * kind (PostgreSQL: pg_restore into the database DATABASE_URL names; PGlite: a DATA_DIR without a
 * database) and puts the stored files into DATA_DIR. Every file is checked against the manifest
 * first, and every table's row count and checksum after; a non-empty target is refused.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Config } from "../config.js";
import { existingStoredFiles, restoreStoredFiles, sha256File } from "./backupFiles.js";
import type { BackupLog, BackupManifest } from "./createBackup.js";
import { pgEnv, runPgTool } from "./pgTools.js";
import { loadPgliteDump } from "./pgliteDump.js";
import { checksumDifferences, tableChecksums, type TableChecksums } from "./tableChecksums.js";

/** Reads and checks a backup folder: its manifest, and every file's size and SHA-256. */
export function readBackup(dir: string): BackupManifest {
  const file = path.join(dir, "manifest.json");
  if (!existsSync(file)) throw new Error(`${dir} is not a TVPB backup (no manifest.json)`);
  const manifest = JSON.parse(readFileSync(file, "utf8")) as BackupManifest;
  if (manifest.format !== "tvpb-backup" || manifest.formatVersion !== 1)
    throw new Error(`${dir}: unknown backup format ${String(manifest.format)} ${String(manifest.formatVersion)}`);
  const files = [
    { path: manifest.database.file, sha256: manifest.database.sha256, at: path.join(dir, manifest.database.file) },
    ...manifest.files.map((f) => ({ ...f, at: path.join(dir, "files", f.path) })),
  ];
  for (const f of files) {
    if (!existsSync(f.at)) throw new Error(`the backup is incomplete: ${f.path} is missing`);
    if (sha256File(f.at) !== f.sha256) throw new Error(`the backup is damaged: ${f.path} does not match its checksum`);
  }
  return manifest;
}

/**
 * Restores the backup in `from` into the installation `config` describes.
 * @throws Error when the backup is damaged, of the other database kind, the target is not empty,
 *   or the restored tables do not match the manifest.
 */
export async function restoreBackup(o: { config: Config; from: string; log?: BackupLog }): Promise<BackupManifest> {
  const manifest = readBackup(o.from);
  const kind = o.config.databaseUrl ? "postgres" : "pglite";
  if (manifest.database.kind !== kind)
    throw new Error(
      `this backup is of ${manifest.database.kind === "postgres" ? "PostgreSQL" : "the embedded database"}; ` +
        (kind === "postgres" ? "unset DATABASE_URL to restore it" : "set DATABASE_URL to an empty database"),
    );
  const present = existingStoredFiles(o.config.dataDir);
  if (present.length)
    throw new Error(`${o.config.dataDir} already holds stored files (${present[0]}, …); restore into an empty one`);
  const dump = path.join(o.from, manifest.database.file);
  const tables =
    kind === "postgres"
      ? await restorePostgres(o.config.databaseUrl!, dump)
      : await restorePglite(o.config.dataDir, dump);
  const differences = checksumDifferences(manifest.database.tables, tables);
  if (differences.length) throw new Error(`the restored database differs from the backup: ${differences.join("; ")}`);
  o.log?.(`database restored and checked: ${Object.keys(tables).length} tables match the backup`);
  restoreStoredFiles(o.from, manifest.files, o.config.dataDir);
  o.log?.(`${manifest.files.length} stored file(s) restored into ${o.config.dataDir}`);
  return manifest;
}

async function restorePostgres(url: string, dump: string): Promise<TableChecksums> {
  const pg = (await import("pg")).default;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      "select count(*)::text as n from information_schema.tables " +
        "where table_schema not in ('pg_catalog', 'information_schema')",
    );
    if (Number(rows[0].n) > 0)
      throw new Error(`the database in DATABASE_URL is not empty (${rows[0].n} tables); restore into an empty one`);
    await runPgTool("pg_restore", url, [
      "--no-owner",
      "--no-privileges",
      "--exit-on-error",
      `--dbname=${pgEnv(url).PGDATABASE}`,
      dump,
    ]);
    return await tableChecksums(async (sql) => (await client.query(sql)).rows);
  } finally {
    await client.end();
  }
}

async function restorePglite(dataDir: string, dump: string): Promise<TableChecksums> {
  const dir = path.join(dataDir, "pglite");
  if (existsSync(dir) && readdirSync(dir).length)
    throw new Error(`${dataDir} already holds a database (${dir}); restore into an empty DATA_DIR`);
  if (existsSync(path.join(dataDir, "pglite.lock")))
    throw new Error(`${dataDir} is in use (pglite.lock); stop TVPB and restore into an empty DATA_DIR`);
  mkdirSync(dataDir, { recursive: true });
  return loadPgliteDump(dump, dir, (run) => tableChecksums(run));
}
