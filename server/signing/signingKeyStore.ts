/**
 * The organisation's signing key at rest: sealed with the key vault in `signing_keys`, one active
 * row per organisation. Opening it for a signature happens only here; nothing else reads `sealed`.
 */
import { createHash } from "node:crypto";
import { and, desc, eq } from "drizzle-orm";
import type { Db, Executor } from "../db/connect.js";
import { signingKeys } from "../db/schema.js";
import { EffectError } from "../errors.js";
import { sealedKeyId, type KeyVault } from "./keyVault.js";
import { openP12, type OpenedP12 } from "./pkcs12.js";

/** A row of `signing_keys`. */
export type SigningKeyRow = typeof signingKeys.$inferSelect;

/** Days before expiry from which the admin page and /readyz warn. */
export const EXPIRY_WARNING_DAYS = 30;

/** Seals a PKCS#12 and its passphrase together. */
export function sealP12(vault: KeyVault, p12: Buffer, passphrase: string): Buffer {
  return vault.seal(Buffer.from(JSON.stringify({ p12: p12.toString("base64"), passphrase }), "utf8"));
}

/** The active key's row (without opening it), or null. */
export async function activeSigningKey(db: Executor, organizationId: string): Promise<SigningKeyRow | null> {
  const [row] = await db
    .select()
    .from(signingKeys)
    .where(and(eq(signingKeys.organizationId, organizationId), eq(signingKeys.status, "active")));
  return row ?? null;
}

/** Every key the organisation has had, newest first (the history; never the key material). */
export async function signingKeyHistory(db: Executor, organizationId: string): Promise<SigningKeyRow[]> {
  return db
    .select()
    .from(signingKeys)
    .where(eq(signingKeys.organizationId, organizationId))
    .orderBy(desc(signingKeys.installedAt));
}

/** An opened key, and until when it may be used without opening the sealed row again. */
type OpenedKey = { key: OpenedP12 & { signerName: string | null }; until: number };

/** How long an opened key is kept after it was opened (ms). */
export const OPENED_KEY_TTL_MS = 10 * 60_000;
const MAX_OPENED_KEYS = 32;

/**
 * Opened keys, per vault (only the vault that opened a sealed value finds it here), by the signing
 * key row and the SHA-256 of its sealed bytes. Opening a PKCS#12 with node-forge costs 12–20 ms of
 * CPU (its key derivation and MAC in JavaScript), on every issue of a signed document. Keeping the
 * opened key in memory exposes nothing new: the vault itself — the key-encryption key that opens
 * every sealed row — is in this process's memory for its whole life. The active row is still read
 * for every signature, so a replaced or retired key is never used again; an entry also ends after
 * OPENED_KEY_TTL_MS.
 */
const openedByVault = new WeakMap<KeyVault, Map<string, OpenedKey>>();

function openSealed(vault: KeyVault, row: SigningKeyRow & { sealed: Buffer }, now: number) {
  const cacheKey = `${row.id}:${createHash("sha256").update(row.sealed).digest("hex")}`;
  let opened = openedByVault.get(vault);
  if (!opened) openedByVault.set(vault, (opened = new Map()));
  const hit = opened.get(cacheKey);
  if (hit && hit.until > now) return hit.key;
  const { p12, passphrase } = JSON.parse(vault.open(row.sealed).toString("utf8")) as {
    p12: string;
    passphrase: string;
  };
  const key = { ...openP12(Buffer.from(p12, "base64"), passphrase), signerName: row.signerName };
  opened.delete(cacheKey);
  for (const [k, v] of opened) if (v.until <= now || opened.size >= MAX_OPENED_KEYS) opened.delete(k);
  opened.set(cacheKey, { key, until: now + OPENED_KEY_TTL_MS });
  return key;
}

/**
 * Opens the active key for signing, or null when the organisation has none. The opened key is kept
 * for a while (see openedByVault); the active row is read on every call.
 * @throws EffectError `signing_key_unavailable` (permanent) when the vault is missing or cannot open it
 */
export async function openActiveSigningKey(
  db: Executor,
  organizationId: string,
  vault: KeyVault | null,
): Promise<(OpenedP12 & { signerName: string | null }) | null> {
  return openSigningKey(await activeSigningKey(db, organizationId), vault);
}

/**
 * Opens a signing key row read before (`activeSigningKey`), or null when there is none or it holds no key.
 * The issue of a document reads the row once, for its view model and its signature.
 * @throws EffectError `signing_key_unavailable` (permanent) when the vault is missing or cannot open it
 */
export function openSigningKey(
  row: SigningKeyRow | null,
  vault: KeyVault | null,
): (OpenedP12 & { signerName: string | null }) | null {
  if (!row?.sealed) return null;
  try {
    if (!vault) throw new Error("TVPB_KEY_ENCRYPTION_KEY is not set");
    return openSealed(vault, { ...row, sealed: row.sealed }, Date.now());
  } catch (err) {
    throw new EffectError(`Không mở được khoá ký số: ${(err as Error).message}`, true, "signing_key_unavailable");
  }
}

/**
 * After a rotation of the key-encryption key: seals again, with the vault's current key, every
 * active signing key sealed with another (the previous key must still be in the vault). Returns
 * how many were sealed again; keys it cannot open are left as they are (and counted in `failed`).
 */
export async function resealSigningKeys(db: Db, vault: KeyVault): Promise<{ resealed: number; failed: number }> {
  const rows = await db.select().from(signingKeys).where(eq(signingKeys.status, "active"));
  let resealed = 0;
  let failed = 0;
  for (const row of rows) {
    if (!row.sealed || sealedKeyId(row.sealed) === vault.keyId) continue;
    try {
      const sealed = vault.seal(vault.open(row.sealed));
      await db.update(signingKeys).set({ sealed }).where(eq(signingKeys.id, row.id));
      resealed++;
    } catch {
      failed++;
    }
  }
  return { resealed, failed };
}

/** Whether a key expires within the warning window (or has expired). */
export function expiresSoon(row: Pick<SigningKeyRow, "notAfter">, now: Date): boolean {
  return row.notAfter.getTime() - now.getTime() < EXPIRY_WARNING_DAYS * 86_400_000;
}
