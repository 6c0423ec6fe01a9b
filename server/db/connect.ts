/**
 * Opens the database: embedded PGlite under DATA_DIR, or PostgreSQL when DATABASE_URL is set.
 * Both sit behind one Drizzle type, `Db`; migrations are applied by the app with Drizzle's
 * migrate() (drizzle-kit migrate silently skips extension-creating migrations on PGlite).
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import * as schema from "./schema.js";
import { isDatabaseUnavailable } from "../errors.js";
import { pgliteWasmModule } from "./pgliteWasm.js";

export type Schema = typeof schema;
/** The database handle every command receives, whichever engine is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction handle (same query API as Db). */
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Either a Db or a Tx: helpers that may run inside or outside a transaction take this. */
export type Executor = Db | Tx;

export type Database = {
  db: Db;
  kind: "pglite" | "postgres";
  /** Runs raw SQL (used by tests and maintenance); rows are normalised by `normalizeRow`. */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
  /** PGlite only: a consistent copy of the data directory (tar.gz), taken between transactions (backups). */
  dumpDataDir?(): Promise<Blob>;
};

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

/** The rows of `db.execute(sql…)`: both drivers answer `{ rows }`, typed by neither. */
export function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

/**
 * Normalises driver differences in one place: int8 as BigInt (PGlite) or string (pg) becomes a
 * number when safe; numeric stays a string (money is never a float).
 */
export function normalizeRow<T>(row: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    out[k] =
      typeof v === "bigint" && v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER)
        ? Number(v)
        : v;
  }
  return out as T;
}

/** Where connection problems are reported (pino-compatible); default: one JSON line on stderr. */
export type DbLogger = { warn: (obj: object, msg?: string) => void };

const stderrLogger: DbLogger = {
  warn: (obj, msg) => console.error(JSON.stringify({ level: 40, ...obj, msg })),
};

/** How the PostgreSQL pool behaves; every field has a default that suits one TVPB process. */
export type PoolOptions = {
  /** Connections per process (default 20). */
  max?: number;
  /** How long a query waits for a free connection before failing as unavailable (default 10 s). */
  connectionTimeoutMs?: number;
  /** How long `openDatabase` waits for a PostgreSQL that is (re)starting (default 30 s). */
  startupWaitMs?: number;
};

/**
 * Connects and migrates. `dataDir` is used for PGlite when no URL is given; `memory` opens an
 * in-memory PGlite (tests). A PostgreSQL that refuses connections (restarting) is waited for up to
 * `pool.startupWaitMs`; a connection lost later is reported to `logger` and never takes the process
 * down (queries on it fail with an error `isDatabaseUnavailable` recognises).
 * @throws when the database cannot be opened or a migration fails.
 */
export async function openDatabase(opts: {
  databaseUrl?: string;
  dataDir?: string;
  memory?: boolean;
  migrate?: boolean;
  logger?: DbLogger;
  pool?: PoolOptions;
  /** The embedded database's `shared_buffers` (PGLITE_SHARED_BUFFERS); unset: PGLITE_SHARED_BUFFERS_DEFAULT. */
  pgliteSharedBuffers?: string;
}): Promise<Database> {
  const database = opts.databaseUrl
    ? await openPostgres(opts.databaseUrl, opts.logger ?? stderrLogger, opts.pool ?? {})
    : await openPglite(opts.memory ? undefined : opts.dataDir, opts.pgliteSharedBuffers);
  if (opts.migrate !== false) await migrateDatabase(database);
  return database;
}

const BYTEA_OID = 17;

/**
 * bytea to PGlite as a binary parameter (the bytes themselves, format code 1 in the Bind message),
 * and from it with Buffer's native hex codec. As text (`\\x` + hex) a 275 KiB PDF became a 550 KB
 * string that PGlite's protocol writer walked character by character twice (its UTF-8 length) before
 * the server parsed the hex again; PGlite's own codec also built one string per byte.
 */
function serializeBytea(v: unknown): string {
  if (!(v instanceof Uint8Array)) throw new Error("Invalid input for bytea type");
  // PGlite's types say a serializer returns text, but its Bind writer sends any ArrayBuffer view as a
  // binary parameter (test/mail/blobCache.test.ts checks every byte value, and a view into a larger buffer).
  return v as unknown as string;
}

function parseBytea(text: string): Buffer {
  return Buffer.from(text.slice(2), "hex");
}

/**
 * The embedded database's buffer cache. PostgreSQL's own default (128MB) suits a server; inside
 * WebAssembly the whole segment is zeroed byte by byte at every open (about 0.45 s of a start's CPU
 * for the 96MB more) and stays in the process's memory, while the operating system's page cache
 * still holds the files PGlite reads: the pages at 30,000 assignments measured the same with 32MB
 * (docs/BENCHMARKS.md, "Start-up, third pass").
 */
export const PGLITE_SHARED_BUFFERS_DEFAULT = "32MB";

async function openPglite(dataDir: string | undefined, sharedBuffers?: string): Promise<Database> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
  const { unaccent } = await import("@electric-sql/pglite/contrib/unaccent");
  const { drizzle } = await import("drizzle-orm/pglite");
  let dir: string | undefined;
  if (dataDir) {
    dir = path.join(dataDir, "pglite");
    fs.mkdirSync(dir, { recursive: true });
    acquireLock(dataDir);
  }
  // PGlite runs in this process and emits no connection events: its failures (closed, or the
  // WebAssembly instance aborted) reject the query, and "PGlite is closed" is recognised as unavailable.
  const client = await PGlite.create({
    dataDir: dir,
    pgliteWasmModule: await pgliteWasmModule(),
    startParams: [
      ...PGlite.defaultStartParams,
      "-c",
      `shared_buffers=${sharedBuffers ?? PGLITE_SHARED_BUFFERS_DEFAULT}`,
    ],
    extensions: { pg_trgm, unaccent },
    serializers: { [BYTEA_OID]: serializeBytea },
    parsers: { [BYTEA_OID]: parseBytea },
  });
  const db = drizzle(client, { schema }) as unknown as Db;
  return {
    db,
    kind: "pglite",
    async query(text, params) {
      const res = await client.query<Record<string, unknown>>(text, params as unknown[]);
      return res.rows.map((r) => normalizeRow(r));
    },
    async close() {
      await client.close();
      if (dataDir) releaseLock(dataDir);
    },
    // Inside a transaction of its own, so no other transaction is half done; a checkpoint first.
    dumpDataDir: () =>
      client.transaction(async (tx) => {
        await tx.exec("checkpoint");
        return client.dumpDataDir("gzip");
      }),
  };
}

async function openPostgres(url: string, logger: DbLogger, opts: PoolOptions): Promise<Database> {
  const pg = await import("pg");
  const { drizzle } = await import("drizzle-orm/node-postgres");
  const pool = new pg.default.Pool({
    connectionString: url,
    max: opts.max ?? 20,
    connectionTimeoutMillis: opts.connectionTimeoutMs ?? 10_000,
    // A half-open socket (the server vanished without a FIN) is found by TCP keep-alive.
    keepAlive: true,
    // jit=off: TVPB's queries are short OLTP reads; the planner otherwise LLVM-compiles a list query
    // priced above jit_above_cost for ~400 ms each time (docs/BENCHMARKS.md, "Scale").
    options: "-c jit=off",
  });
  watchConnections(pool, logger);
  await waitForPostgres(pool, logger, opts.startupWaitMs ?? 30_000);
  const db = drizzle(pool, { schema }) as unknown as Db;
  return {
    db,
    kind: "postgres",
    async query(text, params) {
      const res = await pool.query(text, params as unknown[]);
      return res.rows.map((r) => normalizeRow(r));
    },
    async close() {
      await pool.end();
    },
  };
}

type PgPool = InstanceType<(typeof import("pg"))["default"]["Pool"]>;

/**
 * A connection the server drops (restart, idle kill, network) emits 'error' on its client; an
 * EventEmitter without a listener would throw it and end the process. The pool listens only to
 * idle clients, so every client gets its own listener from the moment it connects — also while a
 * request or a transaction holds it. The query in flight fails on its own; the pool discards the
 * broken client when it is released.
 */
function watchConnections(pool: PgPool, logger: DbLogger) {
  let lastReport = 0;
  const report = (err: Error, where: string) => {
    // One line per second at most: a restart breaks every connection at once.
    if (Date.now() - lastReport < 1000) return;
    lastReport = Date.now();
    logger.warn({ event: "db.connection.lost", where, err: err.message }, "database connection lost");
  };
  pool.on("error", (err) => report(err, "idle"));
  pool.on("connect", (client) => client.on("error", (err: Error) => report(err, "in_use")));
}

/** Waits for a PostgreSQL that is starting or restarting; other failures are thrown at once. */
async function waitForPostgres(pool: PgPool, logger: DbLogger, waitMs: number) {
  const until = Date.now() + waitMs;
  for (let delay = 250; ; delay = Math.min(delay * 2, 2000)) {
    try {
      await pool.query("select 1");
      return;
    } catch (err) {
      if (!isDatabaseUnavailable(err) || Date.now() + delay > until) throw err;
      logger.warn({ event: "db.waiting", err: (err as Error).message }, "waiting for the database");
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** Applies pending migrations from server/db/migrations. */
export async function migrateDatabase(database: Database): Promise<void> {
  if (database.kind === "pglite") {
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    await migrate(database.db as never, { migrationsFolder });
  } else {
    const { migrate } = await import("drizzle-orm/node-postgres/migrator");
    await migrate(database.db as never, { migrationsFolder });
  }
}

// PGlite has one connection per data directory and no lock of its own: a second process opening
// the same directory would corrupt it. A lock file with our pid refuses that, and a stale lock
// (its process is gone) is taken over.
function lockPath(dataDir: string) {
  return path.join(dataDir, "pglite.lock");
}
function acquireLock(dataDir: string) {
  const file = lockPath(dataDir);
  try {
    fs.writeFileSync(file, String(process.pid), { flag: "wx" });
    return;
  } catch {
    const pid = Number(fs.readFileSync(file, "utf8"));
    if (pid && pid !== process.pid && isAlive(pid)) {
      throw new Error(
        `The embedded database in ${dataDir} is in use by process ${pid}. Stop it first, or set DATA_DIR to ` +
          `another folder.`,
      );
    }
    fs.writeFileSync(file, String(process.pid));
  }
}
function releaseLock(dataDir: string) {
  try {
    if (fs.readFileSync(lockPath(dataDir), "utf8") === String(process.pid)) fs.unlinkSync(lockPath(dataDir));
  } catch {
    /* already gone */
  }
}
function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
