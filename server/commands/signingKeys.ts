/**
 * The admin installs, replaces or removes the organisation's signing key (PKCS#12). A new key is
 * checked (passphrase, private key, validity, key usage), sealed with the operator's
 * key-encryption key and made active; the one before is marked `replaced` (or `removed`) with who
 * and when, and its key material is wiped. The rows are the key's history.
 */
import { and, eq } from "drizzle-orm";
import type { Db } from "../db/connect.js";
import { signingKeys } from "../db/schema.js";
import { ConflictError, NotFoundError, ValidationError } from "../errors.js";
import { requireRole } from "../policies/assignmentPolicy.js";
import type { Actor } from "../runtime/actor.js";
import type { Clock } from "../runtime/clock.js";
import type { KeyVault } from "../signing/keyVault.js";
import { checkSigningCertificate, type CertificateInfo } from "../signing/pkcs12.js";
import { sealP12 } from "../signing/signingKeyStore.js";

/** What the signing-key commands need: the database, the clock and the vault (null: none configured). */
export type SigningKeyDeps = { db: Db; clock: Clock; vault: KeyVault | null };

/** Largest .p12/.pfx accepted. */
export const MAX_P12_BYTES = 64 * 1024;

/**
 * Installs `p12` as the organisation's active signing key, replacing the one before.
 * @throws ForbiddenError (not admin); ValidationError file_required, signing_key_unreadable,
 *   signing_key_wrong_passphrase; AppError 422 signing_key_no_private_key, signing_key_no_certificate,
 *   signing_key_not_yet_valid, signing_key_expired, signing_key_usage_invalid;
 *   ConflictError signing_key_storage_unconfigured (no key-encryption key in production)
 */
export async function installSigningKey(
  deps: SigningKeyDeps,
  props: { actor: Actor; p12: Buffer | undefined; passphrase: string; signerName?: string },
): Promise<CertificateInfo> {
  const { actor } = props;
  requireRole(actor, "admin");
  if (!props.p12?.length) throw new ValidationError("file_required", "Cần chọn tệp chứng thư số (.p12/.pfx).", "file");
  const now = deps.clock.now();
  const { info } = checkSigningCertificate(props.p12, props.passphrase, now);
  if (!deps.vault)
    throw new ConflictError(
      "signing_key_storage_unconfigured",
      "Máy chủ chưa có khoá mã hoá (TVPB_KEY_ENCRYPTION_KEY) nên không lưu được khoá ký số.",
    );
  const sealed = sealP12(deps.vault, props.p12, props.passphrase);
  await deps.db.transaction(async (tx) => {
    await retire(tx, actor, "replaced", now);
    await tx.insert(signingKeys).values({
      organizationId: actor.organizationId,
      status: "active",
      sealed,
      subject: info.subject,
      issuer: info.issuer,
      serialNumber: info.serialNumber,
      notBefore: info.notBefore,
      notAfter: info.notAfter,
      certificateSha256: info.sha256,
      signerName: props.signerName?.trim() || null,
      installedBy: actor.id,
      installedAt: now,
    });
  });
  return info;
}

/**
 * Removes the active signing key: documents issued after it are not signed on the server.
 * @throws ForbiddenError (not admin), NotFoundError signing_key_not_found
 */
export async function removeSigningKey(deps: SigningKeyDeps, props: { actor: Actor }): Promise<void> {
  requireRole(props.actor, "admin");
  const n = await deps.db.transaction((tx) => retire(tx, props.actor, "removed", deps.clock.now()));
  if (!n) throw new NotFoundError("signing_key_not_found", "Tổ chức chưa có khoá ký số.");
}

/** Marks the active key retired and wipes its sealed material; returns how many rows changed. */
async function retire(tx: Pick<Db, "update">, actor: Actor, status: "replaced" | "removed", at: Date) {
  const rows = await tx
    .update(signingKeys)
    .set({ status, sealed: null, retiredBy: actor.id, retiredAt: at })
    .where(and(eq(signingKeys.organizationId, actor.organizationId), eq(signingKeys.status, "active")))
    .returning({ id: signingKeys.id });
  return rows.length;
}
