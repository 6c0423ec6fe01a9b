/** The shared test database: opened and migrated once per run, lazily. */
import { openDatabase, type Database } from "../../server/db/connect.js";

let opened: Promise<Database> | null = null;

/** The run's database. DATABASE_URL selects PostgreSQL (its public schema is wiped first). */
export function testDatabase(): Promise<Database> {
  opened ??= (async () => {
    const url = process.env.DATABASE_URL;
    if (url) {
      const raw = await openDatabase({ databaseUrl: url, migrate: false });
      for (const stmt of ["drop schema if exists public cascade", "drop schema if exists drizzle cascade", "create schema public"]) await raw.query(stmt);
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
