/**
 * An in-process cache of blob bytes keyed by SHA-256. Blobs are content-addressed and never change
 * (`blobs.sha256` is the hash of `blobs.bytes`, and rows are only ever inserted), so an entry can
 * never be stale; the cache only bounds memory. Once the cached bytes exceed `maxBytes` the least
 * recently used entries are dropped; a single blob larger than `maxBytes` is never kept.
 *
 * Used by the mail effect, which attaches the same issued PDF to every message of a result letter
 * and would otherwise read it from the database (as hex text, from PostgreSQL) for each one.
 */
import { inArray, sql } from "drizzle-orm";
import type { Executor } from "./connect.js";
import { blobs } from "./schema.js";

/** 64 MiB: a few hundred issued PDFs. */
export const DEFAULT_BLOB_CACHE_BYTES = 64 * 1024 * 1024;

export type BlobCache = {
  /**
   * The bytes of each SHA-256 asked for: cached ones from memory, the others in one query, which
   * are then cached. A hash with no `blobs` row is absent from the result. Throws what the query
   * throws.
   */
  load(db: Executor, sha256s: readonly string[]): Promise<Map<string, Buffer>>;
  /** The cached bytes, or undefined; marks the entry as recently used. */
  get(sha256: string): Buffer | undefined;
  /** Caches bytes (the caller vouches that they are the blob's); evicts the least recently used. */
  set(sha256: string, bytes: Buffer): void;
  /** Number of entries and their total size in bytes. */
  stats(): { entries: number; bytes: number; maxBytes: number };
  clear(): void;
};

/**
 * Builds a cache holding at most `maxBytes` of blob bytes (default 64 MiB). Throws RangeError for a negative or non-
 * finite bound.
 */
export function createBlobCache(options: { maxBytes?: number } = {}): BlobCache {
  const maxBytes = options.maxBytes ?? DEFAULT_BLOB_CACHE_BYTES;
  if (!Number.isFinite(maxBytes) || maxBytes < 0) throw new RangeError(`Not a cache size: ${maxBytes}`);
  const lru = createLru(maxBytes);
  return {
    get: lru.get,
    set: lru.set,
    load: (db, sha256s) => loadThrough(lru, db, sha256s),
    stats: () => ({ entries: lru.entries.size, bytes: lru.total(), maxBytes }),
    clear: lru.clear,
  };
}

type Lru = ReturnType<typeof createLru>;

/** Buffers by key, least recently used first, at most `maxBytes` in total. */
function createLru(maxBytes: number) {
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  const entries = new Map<string, Buffer>();
  let total = 0;
  const get = (sha256: string) => {
    const hit = entries.get(sha256);
    if (hit) {
      entries.delete(sha256);
      entries.set(sha256, hit);
    }
    return hit;
  };
  const set = (sha256: string, bytes: Buffer) => {
    const old = entries.get(sha256);
    if (old) {
      entries.delete(sha256);
      total -= old.byteLength;
    }
    if (bytes.byteLength > maxBytes) return;
    entries.set(sha256, bytes);
    total += bytes.byteLength;
    for (const [key, value] of entries) {
      if (total <= maxBytes) break;
      entries.delete(key);
      total -= value.byteLength;
    }
  };
  const clear = () => {
    entries.clear();
    total = 0;
  };
  return { entries, get, set, clear, total: () => total };
}

/** The bytes of each hash: cached ones from memory, the others in one query, then cached. */
async function loadThrough(lru: Lru, db: Executor, sha256s: readonly string[]): Promise<Map<string, Buffer>> {
  const found = new Map<string, Buffer>();
  const missing: string[] = [];
  for (const sha of new Set(sha256s)) {
    const hit = lru.get(sha);
    if (hit) found.set(sha, hit);
    else missing.push(sha);
  }
  if (!missing.length) return found;
  for (const r of await readBlobs(db, missing)) {
    found.set(r.sha256, r.bytes);
    lru.set(r.sha256, r.bytes);
  }
  return found;
}

/**
 * The blobs' bytes, sent by the database as base64 text instead of bytea's hex: two thirds of the
 * text to send, turn into a string and decode (a 224 KiB PDF: 300 KiB instead of 448 KiB).
 * node-postgres cannot take bytea in the binary format (it decodes every field as UTF-8 text).
 */
async function readBlobs(db: Executor, sha256s: string[]): Promise<Array<{ sha256: string; bytes: Buffer }>> {
  const rows = await db
    .select({ sha256: blobs.sha256, base64: sql<string>`encode(${blobs.bytes}, 'base64')` })
    .from(blobs)
    .where(inArray(blobs.sha256, sha256s));
  // PostgreSQL breaks base64 into lines of 76 characters; the decoder skips the line breaks.
  return rows.map((r) => ({ sha256: r.sha256, bytes: Buffer.from(r.base64, "base64") }));
}
