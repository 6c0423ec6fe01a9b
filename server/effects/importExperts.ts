/**
 * The expert-registry import as a long operation: the confirmed rows are queued as one effect,
 * the worker creates the experts and records its progress on the effect row, and the import page
 * shows that progress (it works across processes and survives a restart). Idempotent: a retried
 * import skips the experts it already created (same name and e-mail in the organisation).
 *
 * Bounded: an uploaded file is at most `EXPERT_IMPORT_LIMITS.fileBytes` and read in memory (no
 * temporary file); an .xlsx workbook's entries are inflated with their output capped at what is left
 * of `unpackedBytes`, and the workbook is refused as soon as they pass it (a zip bomb is refused in
 * milliseconds, with memory bounded by that limit); an import has at most `rows` rows.
 */
import zlib from "node:zlib";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db, Tx } from "../db/connect.js";
import { effects, experts, users } from "../db/schema.js";
import { AppError, EffectError } from "../errors.js";
import { createExpert, type ExpertInput } from "../commands/registry.js";
import { actorFromUser } from "../http/auth.js";
import type { Actor } from "../runtime/actor.js";
import type { Clock } from "../runtime/clock.js";
import { queueEffect } from "../runtime/records.js";
import type { EffectRow } from "../runtime/effectWorker.js";

export type ImportPayload = { actorId: string; rows: ExpertInput[]; total: number; done: number; created: number };

/** The limits of an import: upload size, unpacked workbook size, rows. */
export const EXPERT_IMPORT_LIMITS = { fileBytes: 2 * 1024 * 1024, unpackedBytes: 10 * 1024 * 1024, rows: 5_000 };

/** 413 `import_too_large`: the file, the unpacked workbook or the number of rows is over the limit. */
export function importTooLarge(): AppError {
  return new AppError(
    413,
    "import_too_large",
    `Tệp nhập quá lớn: tối đa ${EXPERT_IMPORT_LIMITS.rows} dòng, ` +
      `${EXPERT_IMPORT_LIMITS.fileBytes / 1024 / 1024} MB tải lên và ` +
      `${EXPERT_IMPORT_LIMITS.unpackedBytes / 1024 / 1024} MB sau khi giải nén.`,
  );
}

/** 400 `import_unreadable`: not a workbook that can be read. */
function unreadable(): AppError {
  return new AppError(400, "import_unreadable", "Không đọc được tệp Excel (.xlsx) này.");
}

/**
 * The first sheet of an .xlsx workbook as CSV text, so an Excel import goes through the same
 * preview, per-row checks and confirmation as a CSV one.
 * @throws AppError 413 `import_too_large` (over a limit, checked before the workbook is parsed) or
 * 400 `import_unreadable` (not a readable workbook).
 */
export async function xlsxToCsv(bytes: Buffer, limits = EXPERT_IMPORT_LIMITS): Promise<string> {
  if (bytes.length > limits.fileBytes) throw importTooLarge();
  checkUnpackedSize(bytes, limits.unpackedBytes);
  const { readSheet } = await import("read-excel-file/node"); // loaded on first use: start-up time
  let rows: unknown[][];
  try {
    rows = await readSheet(bytes);
  } catch {
    throw unreadable();
  }
  if (rows.length > limits.rows + 1) throw importTooLarge();
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? "" : v instanceof Date ? v.toISOString().slice(0, 10) : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return rows.map((r) => r.map(cell).join(",")).join("\n");
}

const LOCAL_HEADER = 0x04034b50;
const DATA_DESCRIPTOR = 0x08074b50;

/**
 * Walks the archive's entries as a streaming unzipper does (local headers, one after another, as
 * read-excel-file reads them), inflating each with zlib with at most what is left of `limit` as
 * output, and stops at the first byte over it. Only the budget is ever allocated; a zip bomb ends
 * in zlib's own "buffer too large" within milliseconds.
 * @throws AppError 413 `import_too_large` over the limit, 400 `import_unreadable` for a broken archive.
 */
function checkUnpackedSize(bytes: Buffer, limit: number): void {
  let total = 0;
  let at = 0;
  while (at + 30 <= bytes.length && bytes.readUInt32LE(at) === LOCAL_HEADER) {
    const flags = bytes.readUInt16LE(at + 6);
    const method = bytes.readUInt16LE(at + 8);
    const compressed = bytes.readUInt32LE(at + 18);
    const start = at + 30 + bytes.readUInt16LE(at + 26) + bytes.readUInt16LE(at + 28);
    const sized = (flags & 8) === 0; // otherwise the sizes follow the data (a data descriptor)
    let consumed: number;
    if (method === 0 && sized) {
      total += compressed;
      consumed = compressed;
    } else if (method === 8) {
      const input = bytes.subarray(start, sized ? start + compressed : bytes.length);
      const out = inflateWithin(input, limit - total);
      total += out.produced;
      consumed = out.consumed;
    } else throw unreadable();
    if (total > limit) throw importTooLarge();
    at = start + consumed;
    if (!sized) at += at + 4 <= bytes.length && bytes.readUInt32LE(at) === DATA_DESCRIPTOR ? 16 : 12;
  }
  if (at === 0) throw unreadable();
}

/** Inflates a raw deflate stream producing at most `budget` bytes; returns how many it produced and read. */
function inflateWithin(input: Buffer, budget: number): { produced: number; consumed: number } {
  try {
    const { buffer, engine } = zlib.inflateRawSync(input, {
      maxOutputLength: Math.max(1, budget),
      info: true,
    }) as unknown as {
      buffer: Buffer;
      engine: zlib.InflateRaw;
    };
    return { produced: buffer.length, consumed: engine.bytesWritten };
  } catch (err) {
    if ((err as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") throw importTooLarge();
    throw unreadable();
  }
}

/**
 * Queues an import; returns the effect id the progress page follows.
 * @throws AppError 413 `import_too_large` with more than `EXPERT_IMPORT_LIMITS.rows` rows.
 */
export async function queueExpertImport(
  tx: Tx,
  props: { actor: Actor; rows: ExpertInput[]; clock: Clock; key: string },
) {
  if (props.rows.length > EXPERT_IMPORT_LIMITS.rows) throw importTooLarge();
  await queueEffect(tx, {
    organizationId: props.actor.organizationId,
    assignmentId: null,
    kind: "expertImport",
    payload: {
      actorId: props.actor.id ?? "",
      rows: props.rows,
      total: props.rows.length,
      done: 0,
      created: 0,
    } satisfies ImportPayload,
    idempotencyKey: `import:${props.key}`,
    runAfter: props.clock.now(),
  });
  const [row] = await tx
    .select({ id: effects.id })
    .from(effects)
    .where(eq(effects.idempotencyKey, `import:${props.key}`));
  return row.id;
}

/** The effect handler. */
export function createImportExperts(deps: { db: Db }) {
  return async function importExperts(effect: EffectRow) {
    const p = effect.payload as ImportPayload;
    const [user] = await deps.db
      .select()
      .from(users)
      .where(and(eq(users.id, p.actorId), eq(users.organizationId, effect.organizationId)));
    if (!user) throw new EffectError("the user who started the import is gone", true, "import_actor_missing");
    const actor = actorFromUser(user);
    let created = p.created;
    for (let i = p.done; i < p.rows.length; i++) {
      const r = p.rows[i];
      const [dup] = await deps.db
        .select({ id: experts.id })
        .from(experts)
        .where(
          and(
            eq(experts.organizationId, effect.organizationId),
            eq(experts.fullName, r.fullName),
            r.email ? eq(experts.email, r.email) : isNull(experts.email),
          ),
        );
      if (!dup) {
        await createExpert(deps.db, { actor, input: r });
        created++;
      }
      if ((i + 1) % 10 === 0 || i + 1 === p.rows.length) {
        await deps.db
          .update(effects)
          .set({ payload: sql`${effects.payload} || ${JSON.stringify({ done: i + 1, created })}::jsonb` })
          .where(eq(effects.id, effect.id));
      }
    }
  };
}

/** The progress of an import, for its page (organisation-scoped). */
export async function importProgress(db: Db, organizationId: string, id: number) {
  const [row] = await db
    .select()
    .from(effects)
    .where(and(eq(effects.id, id), eq(effects.organizationId, organizationId), eq(effects.kind, "expertImport")));
  if (!row) return null;
  const p = row.payload as ImportPayload;
  return {
    status: row.status,
    total: p.total,
    done: row.status === "done" ? p.total : p.done,
    created: p.created,
    error: row.status === "failed" ? row.lastError : null,
  };
}
