/**
 * Opening a PGlite data-directory dump (tar.gz): in memory to check it, or into a data directory
 * to restore it, with the extensions TVPB's migrations create.
 */
import { readFileSync } from "node:fs";
import type { RunSql } from "./tableChecksums.js";

/**
 * Loads `file` into PGlite — in memory (`dataDir` null) or into `dataDir/pglite` — runs `use`, closes.
 * @throws Error when the dump cannot be loaded.
 */
export async function loadPgliteDump<T>(file: string, dataDir: string | null, use: (run: RunSql) => Promise<T>) {
  const { PGlite } = await import("@electric-sql/pglite");
  const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
  const { unaccent } = await import("@electric-sql/pglite/contrib/unaccent");
  const client = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    loadDataDir: new Blob([readFileSync(file)]),
    extensions: { pg_trgm, unaccent },
  });
  try {
    return await use(async (sql) => (await client.query<Record<string, unknown>>(sql)).rows);
  } finally {
    await client.close();
  }
}
