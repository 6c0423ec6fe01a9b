/**
 * The admin's export of the whole organisation as a ZIP, streamed: `organization.json`, one
 * `tables/<table>.json` per table that holds the organisation's rows (found in the database's own
 * catalogue, so a new table is exported without a change here), every stored file the rows point
 * to under `files/<sha256>` (dossier files, earlier versions of documents signed later), each issued
 * document's current PDF as `documents/<id>.pdf`, and a
 * `manifest.json` with every file's SHA-256. Secrets never leave: password and token hashes, the
 * sealed signing key, sessions and single-use link tokens are left out.
 */
import { createHash } from "node:crypto";
import type { Writable } from "node:stream";
import { eq, sql } from "drizzle-orm";
import { rowsOf, type Db } from "../db/connect.js";
import { blobs, documents, organizations } from "../db/schema.js";
import { createZipWriter } from "../exports/zipWriter.js";
import { requireRole } from "../policies/assignmentPolicy.js";
import type { Actor } from "../runtime/actor.js";

/** Tables that are not exported: operational or secret. */
const SKIPPED_TABLES = new Set(["sessions", "used_tokens", "effects", "mail_acceptances"]);
/** Columns that are never exported (secrets). */
const SECRET_COLUMNS: Record<string, string[]> = {
  users: ["password_hash"],
  api_tokens: ["token_hash"],
  signing_keys: ["sealed"],
};
/** Columns that name stored files (blobs) without a foreign key to them (those are found in the catalogue). */
const FILE_COLUMNS: Record<string, string[]> = {
  document_signatures: ["previous_sha256", "sha256"],
  dossier_files: ["sha256"],
  plan_decisions: ["file_sha256"],
};

const json = (v: unknown) =>
  Buffer.from(JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? String(x) : x), 2));

/** Writes the organisation's export to `out` (a ZIP). @throws ForbiddenError (not admin) */
export async function writeOrganizationExport(db: Db, actor: Actor, out: Writable, now: Date): Promise<void> {
  requireRole(actor, "admin");
  const orgId = actor.organizationId;
  const zip = createZipWriter(out, now);
  const manifest: Array<{ path: string; sha256: string; size: number }> = [];
  const add = async (path: string, bytes: Buffer) => {
    manifest.push({ path, sha256: createHash("sha256").update(bytes).digest("hex"), size: bytes.length });
    await zip.add(path, bytes);
  };
  const [org] = await db.select().from(organizations).where(eq(organizations.id, orgId));
  await add("organization.json", json(org));
  const files = new Set<string>();
  const fileColumns = await fileColumnsOf(db);
  for (const table of await orgTables(db)) {
    const rows = await tableRows(db, table, orgId);
    for (const col of fileColumns.get(table) ?? []) for (const r of rows) if (r[col]) files.add(String(r[col]));
    await add(`tables/${table}.json`, json(rows));
  }
  const issued = await db
    .select({ id: documents.id, sha256: documents.sha256 })
    .from(documents)
    .where(eq(documents.organizationId, orgId));
  for (const d of issued) if (d.sha256) files.delete(d.sha256); // written once, under documents/
  for (const sha of [...files].sort()) await addBlob(db, sha, `files/${sha}`, add);
  for (const d of issued) if (d.sha256) await addBlob(db, d.sha256, `documents/${d.id}.pdf`, add);
  await zip.add("manifest.json", json({ organization: org.slug, exportedAt: now.toISOString(), files: manifest }));
  await zip.finish();
}

/** Adds one stored file, read on its own (one file in memory at a time). */
async function addBlob(db: Db, sha256: string, path: string, add: (path: string, bytes: Buffer) => Promise<void>) {
  const [blob] = await db.select().from(blobs).where(eq(blobs.sha256, sha256));
  if (blob) await add(path, blob.bytes);
}

/** Tables with an `organization_id` column, from the catalogue. */
async function orgTables(db: Db): Promise<string[]> {
  const rows = rowsOf<{ table_name: string }>(
    await db.execute(sql`select table_name from information_schema.columns
      where table_schema = current_schema() and column_name = 'organization_id' order by table_name`),
  );
  return rows.map((r) => r.table_name).filter((t) => !SKIPPED_TABLES.has(t));
}

/** Each table's columns naming stored files: foreign keys to `blobs` (catalogue) and FILE_COLUMNS. */
async function fileColumnsOf(db: Db): Promise<Map<string, Set<string>>> {
  const rows = rowsOf<{ table_name: string; column_name: string }>(
    await db.execute(sql`select kcu.table_name, kcu.column_name
      from information_schema.table_constraints tc
      join information_schema.key_column_usage kcu
        on kcu.constraint_name = tc.constraint_name and kcu.table_schema = tc.table_schema
      join information_schema.constraint_column_usage ccu
        on ccu.constraint_name = tc.constraint_name and ccu.table_schema = tc.table_schema
      where tc.constraint_type = 'FOREIGN KEY' and tc.table_schema = current_schema() and ccu.table_name = 'blobs'`),
  );
  const columns = new Map<string, Set<string>>();
  const note = (table: string, column: string) => columns.set(table, (columns.get(table) ?? new Set()).add(column));
  for (const r of rows) note(r.table_name, r.column_name);
  for (const [table, cols] of Object.entries(FILE_COLUMNS)) for (const c of cols) note(table, c);
  return columns;
}

/** One table's rows of the organisation, without secret columns. */
async function tableRows(db: Db, table: string, orgId: string): Promise<Array<Record<string, unknown>>> {
  const rows = rowsOf<Record<string, unknown>>(
    await db.execute(sql`select * from ${sql.identifier(table)} where organization_id = ${orgId}`),
  );
  const secret = SECRET_COLUMNS[table] ?? [];
  return rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !secret.includes(k))));
}
