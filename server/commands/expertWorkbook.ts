/**
 * Reading an expert-registry import file that is an .xlsx workbook, within bounds: an uploaded file
 * is at most `EXPERT_IMPORT_LIMITS.fileBytes` and read in memory (no temporary file); the workbook's
 * entries are inflated with their output capped at what is left of `unpackedBytes`, and the workbook
 * is refused as soon as they pass it (a zip bomb is refused in milliseconds, with memory bounded by
 * that limit); an import has at most `rows` rows.
 */
import zlib from "node:zlib";
import { AppError } from "../errors.js";

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
