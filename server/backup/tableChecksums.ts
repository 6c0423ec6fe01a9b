/**
 * What a backup holds, table by table: the row count and an order-independent MD5 over every
 * row's text (md5 of each row, sorted, hashed again), in UTC and fixed output settings so the same
 * rows give the same sums in any session. A restore is checked against these sums.
 */

/** Per table (`schema.table`): rows and the MD5 of its contents. */
export type TableChecksums = Record<string, { rows: number; md5: string }>;

/** Runs one SQL statement and returns its rows. */
export type RunSql = (sql: string) => Promise<Array<Record<string, unknown>>>;

const SESSION = [
  "set TimeZone = 'UTC'",
  "set DateStyle = 'ISO, YMD'",
  "set IntervalStyle = 'iso_8601'",
  "set extra_float_digits = 3",
  "set bytea_output = 'hex'",
];

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

/**
 * Sums every table of TVPB's schemas (`public`, and `drizzle` for the migrations journal).
 * Changes the session's output settings (time zone UTC).
 */
export async function tableChecksums(run: RunSql): Promise<TableChecksums> {
  for (const s of SESSION) await run(s);
  const tables = await run(
    "select table_schema as s, table_name as t from information_schema.tables " +
      "where table_type = 'BASE TABLE' and table_schema in ('public', 'drizzle') order by 1, 2",
  );
  const out: TableChecksums = {};
  for (const { s, t } of tables as Array<{ s: string; t: string }>) {
    const [row] = await run(
      `select count(*)::text as rows, coalesce(md5(string_agg(md5(x::text), '' order by md5(x::text))), '') as md5 ` +
        `from ${ident(s)}.${ident(t)} x`,
    );
    out[`${s}.${t}`] = { rows: Number(row.rows), md5: String(row.md5) };
  }
  return out;
}

/** The tables whose sums differ between `expected` and `actual`, in words; empty when they agree. */
export function checksumDifferences(expected: TableChecksums, actual: TableChecksums): string[] {
  const names = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
  const out: string[] = [];
  for (const n of names) {
    const e = expected[n];
    const a = actual[n];
    if (!e) out.push(`${n}: not in the backup`);
    else if (!a) out.push(`${n}: missing after the restore`);
    else if (e.rows !== a.rows) out.push(`${n}: ${a.rows} rows instead of ${e.rows}`);
    else if (e.md5 !== a.md5) out.push(`${n}: contents differ`);
  }
  return out;
}
