/**
 * The organisation's signing key at rest: sealed with the key vault in `signing_keys`, one active
 * row per organisation. Opening it for a signature happens only here; nothing else reads `sealed`.
 */
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

/**
 * Opens the active key for signing, or null when the organisation has none.
 * @throws EffectError `signing_key_unavailable` (permanent) when the vault is missing or cannot open it
 */
export async function openActiveSigningKey(
  db: Executor,
  organizationId: string,
  vault: KeyVault | null,
): Promise<(OpenedP12 & { signerName: string | null }) | null> {
  const row = await activeSigningKey(db, organizationId);
  if (!row?.sealed) return null;
  try {
    if (!vault) throw new Error("TVPB_KEY_ENCRYPTION_KEY is not set");
    const { p12, passphrase } = JSON.parse(vault.open(row.sealed).toString("utf8")) as {
      p12: string;
      passphrase: string;
    };
    return { ...openP12(Buffer.from(p12, "base64"), passphrase), signerName: row.signerName };
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
