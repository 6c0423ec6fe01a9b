import { expect } from "chai";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/pglite";
import { firstKeyword, preparedPglite, type PreparedPglite } from "../../server/db/pglitePrepared.js";
import { organizations } from "../../server/db/schema.js";
import { dbKind, testDatabase } from "../support/db.js";

/**
 * The embedded database's prepared statements (server/db/pglitePrepared.ts) against PGlite's own
 * query(): the same answers, one protocol call per statement once prepared, errors as PGlite gives
 * them, PGlite's locks kept, and no statement outliving a schema change or the cache's bound.
 */
describe("PGlite statements prepared once per text", function () {
  let client: PGlite;
  let db: PreparedPglite;
  let calls: number;

  before(async function () {
    client = await PGlite.create();
  });

  after(async function () {
    await client.close();
  });

  beforeEach(async function () {
    await client.exec(`
      deallocate all;
      drop table if exists t;
      create table t (id int primary key, name text not null, doc jsonb, data bytea, at timestamptz,
                      amount numeric(14,2), n int8, tags text[]);
      insert into t values (1, 'một', '{"a": 1}', '\\x00ff', '2026-12-01T08:00:00Z', 1234.50, 9007199254740993, '{x,y}');`);
    db = preparedPglite(client, 4);
    calls = 0;
  });

  before(function () {
    // Counts the calls into the database other than PGlite's own simple queries (BEGIN, COMMIT, DDL:
    // a Query message, then a Sync).
    const stream = client.execProtocolStream.bind(client);
    client.execProtocolStream = (message, options) => {
      if (message[0] !== 0x51 && message[0] !== 0x53) calls++;
      return stream(message, options);
    };
  });

  /** The texts the server holds as prepared statements (asked through PGlite's own path). */
  const serverStatements = async () =>
    (
      await client.query<{ statement: string }>("select statement from pg_prepared_statements order by statement")
    ).rows.map((r) => r.statement);

  it("answers as PGlite's query() does, for every column type, in both row modes", async function () {
    const text = "select id, name, doc, data, at, amount, n, tags from t where id = $1";
    for (const rowMode of ["object", "array"] as const) {
      const mine = await db.query(text, [1], { rowMode });
      const theirs = await client.query(text, [1], { rowMode });
      expect(mine.rows).to.deep.equal(theirs.rows);
      expect(mine.fields).to.deep.equal(theirs.fields);
    }
    const again = await db.query<{ name: string; n: bigint }>(text, [1]);
    expect(again.rows[0].name).to.equal("một");
    expect(again.rows[0].n).to.equal(9007199254740993n);
  });

  it("prepares a text once: after that, one protocol call per statement", async function () {
    await db.query("select name from t where id = $1", [1]);
    expect(calls, "Parse + Describe, then Bind + Execute").to.equal(2);
    calls = 0;
    for (let i = 0; i < 5; i++) await db.query("select name from t where id = $1", [1]);
    expect(calls).to.equal(5);
    expect(db.prepared).to.equal(1);
    expect(await serverStatements()).to.deep.equal(["select name from t where id = $1"]);
  });

  it("writes, with null and binary parameters, and reports rows affected", async function () {
    const bytes = new Uint8Array(256).map((_, i) => i);
    const inserted = await db.query("insert into t (id, name, data, doc) values ($1, $2, $3, $4)", [
      2,
      "hai",
      bytes,
      null,
    ]);
    expect(inserted.affectedRows).to.equal(1);
    const back = await client.query<{ data: Uint8Array; doc: unknown }>("select data, doc from t where id = 2");
    expect([...back.rows[0].data]).to.deep.equal([...bytes]);
    expect(back.rows[0].doc).to.equal(null);
    const updated = await db.query("update t set name = $2 where id >= $1", [1, "đổi"]);
    expect(updated.affectedRows).to.equal(2);
  });

  it("gives PGlite's errors with the query attached, and keeps working after them", async function () {
    const insert = "insert into t (id, name) values ($1, $2)";
    const err = await db.query(insert, [1, "trùng"]).catch((e: unknown) => e);
    expect(err).to.include({ code: "23505", query: insert });
    expect((err as { params: unknown[] }).params).to.deep.equal([1, "trùng"]);
    const syntax = await db.query("select nme from t", []).catch((e: unknown) => e);
    expect(syntax).to.include({ code: "42703" });
    expect(db.prepared, "a text the server refused is not kept").to.equal(1);
    expect((await db.query(insert, [3, "ba"])).affectedRows).to.equal(1);
    expect((await db.query("select count(*)::int as c from t")).rows).to.deep.equal([{ c: 2 }]);
  });

  it("runs a transaction's statements prepared; a rollback undoes the data, not the preparing", async function () {
    const insert = "insert into t (id, name) values ($1, $2)";
    await db
      .transaction(async (tx) => {
        await tx.query(insert, [10, "mười"]);
        throw new Error("stop");
      })
      .catch(() => undefined);
    expect((await db.query("select count(*)::int as c from t where id = 10")).rows).to.deep.equal([{ c: 0 }]);
    expect(db.prepared, "the insert and the count").to.equal(2);
    calls = 0;
    await db.transaction((tx) => tx.query(insert, [11, "mười một"]));
    await db.transaction((tx) => tx.query(insert, [12, "mười hai"]));
    // Bind + Execute twice; PGlite sends BEGIN and COMMIT itself.
    expect(calls).to.equal(2);
    expect((await db.query("select name from t where id = $1", [11])).rows).to.deep.equal([{ name: "mười một" }]);
  });

  it("makes a statement outside a transaction wait until the transaction ends", async function () {
    let outside: Promise<unknown> | undefined;
    await db.transaction(async (tx) => {
      await tx.query("insert into t (id, name) values ($1, $2)", [20, "hai mươi"]);
      outside = db.query("select count(*)::int as c from t");
      // Give the outside statement every chance to run inside the transaction if it could.
      await new Promise((resolve) => setTimeout(resolve, 20));
      await tx.query("insert into t (id, name) values ($1, $2)", [21, "hai mốt"]);
    });
    expect(((await outside) as { rows: unknown[] }).rows).to.deep.equal([{ c: 3 }]);
  });

  it("forgets its statements when the schema changes, so a changed table is read as it now is", async function () {
    expect((await db.query("select * from t where id = $1", [1])).fields).to.have.length(8);
    await db.query("alter table t add column note text default 'mới'");
    const after = await db.query<{ note: string }>("select * from t where id = $1", [1]);
    expect(after.fields).to.have.length(9);
    expect(after.rows[0].note).to.equal("mới");
    expect(db.prepared).to.equal(1);
    expect(await serverStatements(), "the old statement closed with the next Parse").to.deep.equal([
      "select * from t where id = $1",
    ]);
  });

  it("finds a statement's first keyword after whitespace, comments and parentheses", function () {
    expect(firstKeyword("  -- a note\n/* and\n another */ (SELECT 1)")).to.equal("select");
    expect(firstKeyword("-- only a comment")).to.equal("");
    expect(firstKeyword("\tAlter table t")).to.equal("alter");
  });

  it("forgets its statements at a schema change written after a comment, and before queued queries run", async function () {
    await db.query("select * from t where id = $1", [1]);
    await db.query("-- a note first\nalter table t add column a text default 'a'");
    expect((await db.query("select * from t where id = $1", [1])).fields).to.have.length(9);
    // The change and a query queued behind it, sent together.
    const [, queued] = await Promise.all([
      db.query("alter table t add column b text default 'b'"),
      db.query("select * from t where id = $1", [1]),
    ]);
    expect(queued.fields).to.have.length(10);
  });

  it("forgets what a rolled-back transaction prepared against a shape the rollback undid", async function () {
    await db
      .transaction(async (tx) => {
        await tx.query("alter table t add column gone text default 'x'");
        expect((await tx.query("select * from t where id = $1", [1])).fields).to.have.length(9);
        throw new Error("roll back");
      })
      .catch(() => undefined);
    expect((await db.query("select * from t where id = $1", [1])).fields).to.have.length(8);
  });

  it("prepares again a statement the server no longer has: once outside a transaction, next time inside one", async function () {
    const read = "select name from t where id = $1";
    await db.query(read, [1]);
    await client.query("deallocate all"); // behind the wrapper's back
    expect((await db.query(read, [1])).rows).to.deep.equal([{ name: "một" }]);
    await client.query("deallocate all");
    const err = await db.transaction((tx) => tx.query(read, [1])).catch((e: unknown) => e);
    expect(err).to.include({ code: "26000" });
    expect((await db.transaction((tx) => tx.query(read, [1]))).rows).to.deep.equal([{ name: "một" }]);
  });

  it("keeps at most its bound of statements, closing the least recently used with the next Parse", async function () {
    const read = (k: number) => db.query(`select ${k} as k, name from t where id = $1`, [1]);
    for (let k = 1; k <= 6; k++) await read(k); // s1–s6: s1 closed with s6's Parse, s2 waits
    await read(3); // used again: now the most recently used
    await read(7); // s7: closes s2; s4, the least recently used, waits
    await read(8); // s8: closes s4; s5 waits
    expect(db.prepared).to.equal(4);
    const ks = (await serverStatements()).map((text) => Number(/select (\d+) as k/.exec(text)?.[1]));
    expect(ks).to.deep.equal([3, 5, 6, 7, 8]);
    calls = 0;
    await read(3);
    expect(calls, "s3 still prepared").to.equal(1);
  });

  it("leaves statements other than data statements to PGlite's own path", async function () {
    await db.query("set application_name = 'tvpb'");
    await db.query("show application_name");
    expect(db.prepared).to.equal(0);
  });

  it("serves Drizzle: selects, transactions and savepoints", async function () {
    const d = drizzle({ client: db as unknown as PGlite });
    const rows = await d.execute(sql`select name from t where id = ${1}`);
    expect(rows.rows).to.deep.equal([{ name: "một" }]);
    await d.transaction(async (tx) => {
      await tx.execute(sql`insert into t (id, name) values (${30}, ${"ba mươi"})`);
      await tx
        .transaction(async (inner) => {
          await inner.execute(sql`insert into t (id, name) values (${31}, ${"ba mốt"})`);
          throw new Error("undo the savepoint");
        })
        .catch(() => undefined);
    });
    const left = await d.execute(sql`select id from t where id >= ${30} order by id`);
    expect(left.rows).to.deep.equal([{ id: 30 }]);
  });
});

describe("the app's database: prepared statements on PGlite only", function () {
  it("prepares Drizzle's statements and the raw queries on PGlite, planned for each run; nothing on PostgreSQL", async function () {
    const database = await testDatabase();
    await database.db.select({ id: organizations.id }).from(organizations).limit(1);
    await database.query("select count(*) from organizations");
    const held = await database.query<{ statement: string }>("select statement from pg_prepared_statements");
    const mode = await database.query<{ plan_cache_mode: string }>("show plan_cache_mode");
    if (dbKind() === "pglite") {
      expect(held.map((r) => r.statement)).to.include.members([
        'select "id" from "organizations" limit $1',
        "select count(*) from organizations",
      ]);
      // Planned for each run's parameters, as unprepared statements are (connect.ts).
      expect(mode).to.deep.equal([{ plan_cache_mode: "force_custom_plan" }]);
    } else {
      // node-postgres sends unnamed statements; the server's own setting is left alone.
      expect(held).to.deep.equal([]);
      expect(mode).to.deep.equal([{ plan_cache_mode: "auto" }]);
    }
  });
});
