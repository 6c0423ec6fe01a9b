/**
 * The embedded database's statements, prepared once per SQL text.
 *
 * PGlite's `query()` sends six protocol messages, each its own call into WebAssembly (Parse,
 * Describe statement, Bind, Describe portal, Execute, Sync), and PostgreSQL parses and analyses the
 * text every time. Here each text becomes a named prepared statement the first time it is seen
 * (Parse + Describe + Sync, one call); after that a query is one call (Bind + Execute + Sync) and the
 * server skips the parse. Each run is still planned for its own parameters: connect.ts starts the
 * embedded database with `plan_cache_mode = force_custom_plan`, so the plans are the ones PostgreSQL
 * makes for an unprepared statement (and for node-postgres's, in production). Generic plans would
 * save more (the planner asks every table and index of a statement for its size, an `fstat` each:
 * 52 per event), but one made the common-term search at 100,000 assignments ten times slower.
 * docs/BENCHMARKS.md, "The embedded database's statements", has the figures.
 *
 * What does not change: the parameters are serialised by the types the server infers for the text
 * (as `query()` does), results are parsed by PGlite's own `parseResults` with the client's parsers,
 * errors are PGlite's `DatabaseError` with the query and parameters attached, and the locks are
 * PGlite's own (a transaction holds the connection; a query outside one waits for it).
 *
 * Only data statements (SELECT, INSERT, UPDATE, DELETE, WITH, VALUES, after any comments) are
 * prepared. Anything else goes through `query()` unchanged and, unless it is BEGIN, COMMIT, a
 * savepoint, SHOW or EXPLAIN, forgets every prepared statement before and after it runs (DDL, SET,
 * DEALLOCATE, ROLLBACK…); so does a transaction that fails after such a statement. What the wrapper
 * cannot see (DDL from a function a SELECT calls, a DEALLOCATE on the raw client) the server reports
 * at Bind, before the statement runs: that statement is forgotten and, outside a transaction,
 * prepared and run again.
 */
import { parse, protocol, type PGlite, type QueryOptions, type Results, type Transaction } from "@electric-sql/pglite";

const { serialize } = protocol;
type Message = Parameters<typeof parse.parseResults>[0][number];

/** What the server said about a prepared text: its name, parameter types and row shape. */
type Statement = { name: string; paramTypes: number[]; rowDescription: Message | undefined };

/** The statements kept at once; the least recently used is closed beyond this. */
export const PREPARED_STATEMENTS_MAX = 256;

const DATA_STATEMENTS = new Set(["select", "insert", "update", "delete", "with", "values"]);
/** Statements that change neither a table's shape, nor name resolution, nor the prepared statements. */
const HARMLESS = new Set(["begin", "start", "commit", "end", "savepoint", "release", "show", "explain"]);

/** A statement's first keyword, after any whitespace, comments and opening parentheses; lower case. */
export function firstKeyword(text: string): string {
  const m = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/|\()*([a-z]+)/i.exec(text);
  return m ? m[1].toLowerCase() : "";
}

/**
 * The server answers a prepared statement it can no longer run as described: its result's shape changed
 * under it (0A000, "cached plan must not change result type") or it is gone (26000, after a DEALLOCATE
 * elsewhere). Both come at Bind, before the statement does anything.
 */
function isStale(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === "26000" || (code === "0A000" && /cached plan/.test(String((err as Error).message)));
}

/** Wrappers made in this process: each names its statements apart, should two share a client. */
let wrappers = 0;

/** The least-recently-used cache of prepared texts, and the names waiting to be closed. */
class Statements {
  readonly #byText = new Map<string, Statement>();
  readonly #prefix = `tvpb${++wrappers}_s`;
  #toClose: string[] = [];
  #seq = 0;

  constructor(readonly max: number) {}

  get size() {
    return this.#byText.size;
  }

  get(text: string): Statement | undefined {
    const found = this.#byText.get(text);
    if (found) {
      // Map keeps insertion order: re-inserting makes it the most recently used.
      this.#byText.delete(text);
      this.#byText.set(text, found);
    }
    return found;
  }

  nextName() {
    return `${this.#prefix}${++this.#seq}`;
  }

  add(text: string, statement: Statement) {
    this.#byText.set(text, statement);
    while (this.#byText.size > this.max) {
      const [oldest, { name }] = this.#byText.entries().next().value as [string, Statement];
      this.#byText.delete(oldest);
      this.#toClose.push(name);
    }
  }

  /** Forgets one text's statement (the server refused it as stale); it is closed with the next Parse. */
  forget(text: string) {
    const found = this.#byText.get(text);
    if (!found) return;
    this.#byText.delete(text);
    this.#toClose.push(found.name);
  }

  /** Forgets every statement (after a schema change); they are closed with the next Parse. */
  forgetAll() {
    for (const { name } of this.#byText.values()) this.#toClose.push(name);
    this.#byText.clear();
  }

  /** Close messages for the statements forgotten since the last call. */
  takeCloses(): Uint8Array[] {
    const closes = this.#toClose.map((name) => serialize.close({ type: "S", name }));
    this.#toClose = [];
    return closes;
  }
}

/** PGlite's error, with the query and its parameters attached as its own `query()` attaches them. */
function withQuery(err: unknown, query: string, params: unknown[], options: QueryOptions | undefined) {
  if (err && typeof err === "object" && "code" in err) Object.assign(err, { query, params, queryOptions: options });
  return err;
}

function concat(parts: Uint8Array[]): Uint8Array {
  return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}

/**
 * Runs one data statement as a named prepared statement. The caller holds PGlite's query lock
 * (and, outside a transaction, its transaction lock).
 */
async function runPrepared<T>(
  client: PGlite,
  statements: Statements,
  text: string,
  params: unknown[],
  options: QueryOptions | undefined,
): Promise<Results<T>> {
  // The stream form returns the messages without also copying every output chunk into one buffer.
  const exec = (parts: Uint8Array[]) =>
    client.execProtocolStream(concat(parts), { syncToFs: false, onNotice: options?.onNotice });
  let statement = statements.get(text);
  if (!statement) {
    const name = statements.nextName();
    const described = await exec([
      ...statements.takeCloses(),
      serialize.parse({ name, text }),
      serialize.describe({ type: "S", name }),
      serialize.sync(),
    ]);
    statement = {
      name,
      paramTypes: parse.parseDescribeStatementResults(described),
      rowDescription: described.find((m) => m.name === "rowDescription"),
    };
    statements.add(text, statement);
  }
  const types = statement.paramTypes;
  const values = params.map((value, i) => {
    if (value === null || value === undefined) return null;
    const serializer = options?.serializers?.[types[i]] ?? client.serializers[types[i]];
    return serializer ? serializer(value) : String(value);
  });
  const done = await exec([
    serialize.bind({ statement: statement.name, values }),
    serialize.execute({}),
    serialize.sync(),
  ]);
  const messages = statement.rowDescription ? [statement.rowDescription, ...done] : done;
  return parse.parseResults(messages, client.parsers, options)[0] as Results<T>;
}

/** The part of PGlite that Drizzle's PGlite driver and connect.ts use: `query` and `transaction`. */
export type PreparedPglite = {
  query<T>(text: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>>;
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  /** How many texts are prepared now (tests). */
  readonly prepared: number;
};

/** Wraps a PGlite client so that its data statements run prepared (see the file's comment). */
export function preparedPglite(client: PGlite, max = PREPARED_STATEMENTS_MAX): PreparedPglite {
  const statements = new Statements(max);

  /**
   * A text that is not a data statement runs through PGlite's own path. Unless it is one that changes
   * nothing a prepared statement depends on, every statement is forgotten before it runs (a prepared
   * query queued behind it must not run against the old shape) and again after (none prepared
   * meanwhile, against a shape a rollback may undo, survives it).
   */
  const other = async <T>(run: () => Promise<T>, text: string, onChange?: () => void) => {
    const harmless = HARMLESS.has(firstKeyword(text));
    if (!harmless) onChange?.();
    if (!harmless) statements.forgetAll();
    try {
      return await run();
    } finally {
      if (!harmless) statements.forgetAll();
    }
  };

  /** One prepared run; a statement the server calls stale is forgotten and, outside a transaction, run once more. */
  const prepared = async <T>(text: string, params: unknown[], options: QueryOptions | undefined, retry: boolean) => {
    try {
      return await runPrepared<T>(client, statements, text, params, options);
    } catch (err) {
      if (!isStale(err)) throw withQuery(err, text, params, options);
      statements.forget(text);
      if (!retry) throw withQuery(err, text, params, options);
      return prepared<T>(text, params, options, false);
    }
  };

  /** Data statements are prepared, unless they carry a blob (COPY's /dev/blob) or their own parameter types. */
  const preparable = (text: string, options: QueryOptions | undefined) =>
    DATA_STATEMENTS.has(firstKeyword(text)) && !options?.blob && !options?.paramTypes;

  return {
    get prepared() {
      return statements.size;
    },
    async query<T>(text: string, params: unknown[] = [], options?: QueryOptions) {
      if (!preparable(text, options)) return other(() => client.query<T>(text, params, options), text);
      await client._checkReady();
      // As PGlite's query(): wait for any transaction, then hold the connection for this statement.
      return client._runExclusiveTransaction(() =>
        client._runExclusiveQuery(async () => {
          const result = await prepared<T>(text, params, options, true);
          await client.syncToFs();
          return result;
        }),
      );
    },
    async transaction<T>(fn: (tx: Transaction) => Promise<T>) {
      // Whether a statement that may change a table's shape ran in this transaction.
      let changed = false;
      const otherHere = <R>(run: () => Promise<R>, text: string) => other(run, text, () => (changed = true));
      try {
        return await client.transaction((tx) => {
          const query = <R>(text: string, params: unknown[] = [], options?: QueryOptions): Promise<Results<R>> => {
            if (tx.closed) return Promise.reject(new Error("Transaction is closed"));
            if (!preparable(text, options)) return otherHere(() => tx.query<R>(text, params, options), text);
            // The transaction holds PGlite's transaction lock; each statement takes the query lock. A
            // stale statement has already failed the transaction: it is not run again here.
            return client._runExclusiveQuery(() => prepared<R>(text, params, options, false));
          };
          return fn(ownQueries(tx, query, otherHere));
        });
      } catch (err) {
        // Rolled back: a schema change made in it is undone, and so is the shape later statements met.
        // A transaction that changed no shape (a refused command, a conflict) leaves the statements be.
        if (changed) statements.forgetAll();
        throw err;
      }
    },
  };
}

/**
 * The transaction with `query` replaced; `exec` and `sql` (any statements, written for PGlite's own
 * path) run as PGlite's, as possible schema changes.
 */
function ownQueries(
  tx: Transaction,
  query: Transaction["query"],
  other: <T>(run: () => Promise<T>, text: string) => Promise<T>,
): Transaction {
  return {
    query,
    sql: (strings, ...params) => other(() => tx.sql(strings, ...params), ""),
    exec: (text, options) => other(() => tx.exec(text, options), ""),
    rollback: tx.rollback.bind(tx),
    listen: tx.listen.bind(tx),
    get closed() {
      return tx.closed;
    },
  };
}
