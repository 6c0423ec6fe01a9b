/**
 * Seals secrets at rest (the organisation's PKCS#12 and its passphrase) with AES-256-GCM under a
 * key-encryption key the operator provides (`TVPB_KEY_ENCRYPTION_KEY`). A sealed value is
 * `version (1) | key id (8) | iv (12) | tag (16) | ciphertext`; the key id (a hash of the key)
 * says which key sealed it, so a rotation can tell old values from new ones.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";

const VERSION = 1;

/** Seals and opens secrets with one key-encryption key. */
export type KeyVault = {
  /** Where the key came from: the operator's variable, or derived for development. */
  source: "environment" | "development";
  /** 16 hex characters naming the key (not secret). */
  keyId: string;
  seal(plain: Buffer): Buffer;
  /** @throws Error when the value was sealed with another key or was altered. */
  open(sealed: Buffer): Buffer;
};

const idOf = (key: Buffer) => createHash("sha256").update("tvpb-kek-id").update(key).digest().subarray(0, 8);

/**
 * A vault over a 32-byte key. `previous` (a key being rotated out) still opens what it sealed;
 * everything new is sealed with `key`.
 */
export function createKeyVault(key: Buffer, source: KeyVault["source"] = "environment", previous?: Buffer): KeyVault {
  if (key.length !== 32 || (previous && previous.length !== 32))
    throw new Error("the key-encryption key must be 32 bytes");
  const id = idOf(key);
  const keys = new Map([[id.toString("hex"), key]]);
  if (previous) keys.set(idOf(previous).toString("hex"), previous);
  return {
    source,
    keyId: id.toString("hex"),
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      cipher.setAAD(id);
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([Buffer.from([VERSION]), id, iv, cipher.getAuthTag(), body]);
    },
    open(sealed) {
      if (sealed[0] !== VERSION) throw new Error("unknown sealed format");
      const sealedId = sealed.subarray(1, 9);
      const k = keys.get(sealedId.toString("hex"));
      if (!k) throw new Error(`sealed with another key (${sealedId.toString("hex")})`);
      const decipher = createDecipheriv("aes-256-gcm", k, sealed.subarray(9, 21));
      decipher.setAAD(sealedId);
      decipher.setAuthTag(sealed.subarray(21, 37));
      return Buffer.concat([decipher.update(sealed.subarray(37)), decipher.final()]);
    },
  };
}

/** The key id a sealed value names (16 hex characters). */
export const sealedKeyId = (sealed: Buffer): string => sealed.subarray(1, 9).toString("hex");

/**
 * Reads `TVPB_KEY_ENCRYPTION_KEY`: 32 bytes as base64 (44 characters) or hex (64 characters).
 * Returns null when it is not one of those.
 */
export function parseKeyEncryptionKey(value: string): Buffer | null {
  const v = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(v)) return Buffer.from(v, "hex");
  const b = Buffer.from(v, "base64");
  return b.length === 32 && /^[A-Za-z0-9+/]{43}=?$/.test(v) ? b : null;
}

/** The development key: derived from the session secret, so a demo can store a key. Never used in production. */
export function developmentKeyVault(sessionSecret: string): KeyVault {
  const key = Buffer.from(hkdfSync("sha256", sessionSecret, "tvpb", "development key-encryption key", 32));
  return createKeyVault(key, "development");
}
