/** The shared test database: opened and migrated once per run, lazily. */
import { openDatabase, type Database } from "../../server/db/connect.js";

let opened: Promise<Database> | null = null;

/** The run's database. DATABASE_URL selects PostgreSQL (its public schema is wiped first). */
export function testDatabase(): Promise<Database> {
  opened ??= (async () => {
    const url = process.env.DATABASE_URL;
    if (url) {
      const raw = await openDatabase({ databaseUrl: url, migrate: false });
      for (const stmt of [
        "drop schema if exists public cascade",
        "drop schema if exists drizzle cascade",
        "create schema public",
      ])
        await raw.query(stmt);
      await raw.close();
      return openDatabase({ databaseUrl: url });
    }
    return openDatabase({ memory: true });
  })();
  return opened;
}

export async function closeTestDatabase() {
  if (!opened) return;
  const db = await opened;
  opened = null;
  await db.close();
}

export const dbKind = () => (process.env.DATABASE_URL ? "postgres" : "pglite");

/**
 * A fresh, empty database for a test that runs whole TVPB processes: with DATABASE_URL, a new
 * database on that PostgreSQL server (drop it with the returned `drop`); without, undefined (the
 * caller uses a DATA_DIR for PGlite).
 */
export async function freshDatabaseUrl(
  prefix: string,
): Promise<{ url: string | undefined; drop: () => Promise<void> }> {
  const base = process.env.DATABASE_URL;
  if (!base) return { url: undefined, drop: async () => {} };
  const pg = (await import("pg")).default;
  const name = `${prefix}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
