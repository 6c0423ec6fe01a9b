/**
 * The organisation's signing key at rest: sealed with the key vault in `signing_keys`, one active
 * row per organisation. Opening it for a signature happens only here; nothing else reads `sealed`.
 */
import { and, desc, eq } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import { signingKeys } from "../db/schema.js";
import { EffectError } from "../errors.js";
import type { KeyVault } from "./keyVault.js";
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

/** Whether a key expires within the warning window (or has expired). */
export function expiresSoon(row: Pick<SigningKeyRow, "notAfter">, now: Date): boolean {
  return row.notAfter.getTime() - now.getTime() < EXPIRY_WARNING_DAYS * 86_400_000;
}
