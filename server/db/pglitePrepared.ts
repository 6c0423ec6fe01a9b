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
 * Only data statements (SELECT, INSERT, UPDATE, DELETE, WITH, VALUES) are prepared. Anything else goes
 * through `query()` unchanged; a schema change (CREATE, ALTER, DROP, DO, COMMENT, and DEALLOCATE or
 * DISCARD, which drop prepared statements) also forgets every prepared statement, so none outlives
 * the table shape it was described against.
 */
import { parse, protocol, type PGlite, type QueryOptions, type Results, type Transaction } from "@electric-sql/pglite";

const { serialize } = protocol;
type Message = Parameters<typeof parse.parseResults>[0][number];

/** What the server said about a prepared text: its name, parameter types and row shape. */
type Statement = { name: string; paramTypes: number[]; rowDescription: Message | undefined };

/** The statements kept at once; the least recently used is closed beyond this. */
export const PREPARED_STATEMENTS_MAX = 256;

const DATA_STATEMENT = /^\s*(select|insert|update|delete|with|values)\b/i;
const SCHEMA_CHANGE = /^\s*(create|alter|drop|do|comment|deallocate|discard)\b/i;

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
  const exec = (parts: Uint8Array[]) =>
    client.execProtocol(concat(parts), { syncToFs: false, onNotice: options?.onNotice });
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
      paramTypes: parse.parseDescribeStatementResults(described.messages),
      rowDescription: described.messages.find((m) => m.name === "rowDescription"),
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
  const messages = statement.rowDescription ? [statement.rowDescription, ...done.messages] : done.messages;
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

  /** A text that is not a data statement runs through PGlite's own path. */
  const other = async <T>(run: () => Promise<Results<T>>, text: string) => {
    const result = await run();
    if (SCHEMA_CHANGE.test(text)) statements.forgetAll();
    return result;
  };

  const prepared = async <T>(text: string, params: unknown[], options: QueryOptions | undefined) => {
    try {
      return await runPrepared<T>(client, statements, text, params, options);
    } catch (err) {
      throw withQuery(err, text, params, options);
    }
  };

  /** Data statements are prepared, unless they carry a blob (COPY's /dev/blob) or their own parameter types. */
  const preparable = (text: string, options: QueryOptions | undefined) =>
    DATA_STATEMENT.test(text) && !options?.blob && !options?.paramTypes;

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
          const result = await prepared<T>(text, params, options);
          await client.syncToFs();
          return result;
        }),
      );
    },
    transaction<T>(fn: (tx: Transaction) => Promise<T>) {
      return client.transaction((tx) => {
        const query = <R>(text: string, params: unknown[] = [], options?: QueryOptions): Promise<Results<R>> => {
          if (tx.closed) return Promise.reject(new Error("Transaction is closed"));
          if (!preparable(text, options)) return other(() => tx.query<R>(text, params, options), text);
          // The transaction holds PGlite's transaction lock; each statement takes the query lock.
          return client._runExclusiveQuery(() => prepared<R>(text, params, options));
        };
        return fn(withQueryOf(tx, query));
      });
    },
  };
}

/** The transaction with its `query` replaced; its other methods are its own. */
function withQueryOf(tx: Transaction, query: Transaction["query"]): Transaction {
  return {
    query,
    sql: tx.sql.bind(tx),
    exec: tx.exec.bind(tx),
    rollback: tx.rollback.bind(tx),
    listen: tx.listen.bind(tx),
    get closed() {
      return tx.closed;
    },
  };
}
