import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { signingKeys } from "../../server/db/schema.js";
import { loadConfig } from "../../server/config.js";
import {
  createKeyVault,
  developmentKeyVault,
  parseKeyEncryptionKey,
  sealedKeyId,
} from "../../server/signing/keyVault.js";
import { openActiveSigningKey, resealSigningKeys, sealP12 } from "../../server/signing/signingKeyStore.js";
import { installSigningKey, removeSigningKey } from "../../server/commands/signingKeys.js";
import { adminActor, createWorld } from "../support/testApp.js";
import { selfSignedP12 } from "../support/documents.js";

describe("signing/keyVault", () => {
  it("seals with AES-256-GCM so that only the same key opens it, and any change is refused", () => {
    const vault = createKeyVault(randomBytes(32));
    const sealed = vault.seal(Buffer.from("bí mật"));
    expect(sealed.includes(Buffer.from("bí mật"))).to.equal(false);
    expect(vault.open(sealed).toString()).to.equal("bí mật");
    expect(() => createKeyVault(randomBytes(32)).open(sealed)).to.throw(/another key/);
    const changed = Buffer.from(sealed);
    changed[changed.length - 1] ^= 1;
    expect(() => vault.open(changed)).to.throw();
  });

  it("reads the operator's key as base64 or hex and refuses anything else at start", () => {
    const key = randomBytes(32);
    expect(parseKeyEncryptionKey(key.toString("base64"))!.equals(key)).to.equal(true);
    expect(parseKeyEncryptionKey(key.toString("hex"))!.equals(key)).to.equal(true);
    expect(parseKeyEncryptionKey("too short")).to.equal(null);
    expect(() => loadConfig({ TVPB_KEY_ENCRYPTION_KEY: "too short" })).to.throw(/TVPB_KEY_ENCRYPTION_KEY/);
    expect(loadConfig({ TVPB_KEY_ENCRYPTION_KEY: key.toString("base64") }).keyEncryptionKey!.equals(key)).to.equal(
      true,
    );
    expect(developmentKeyVault("s".repeat(40)).source).to.equal("development");
  });

  it("rotates: the previous key still opens, and resealing moves every active key to the new one", async () => {
    const w = await createWorld();
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const sealed = sealP12(createKeyVault(oldKey), Buffer.from("p12"), "pass");
    await w.db.insert(signingKeys).values({
      organizationId: w.org.id,
      status: "active",
      sealed,
      subject: "CN=x",
      issuer: "CN=x",
      serialNumber: "01",
      notBefore: new Date("2025-01-01"),
      notAfter: new Date("2030-01-01"),
      certificateSha256: "00",
      installedAt: w.clock.now(),
    });
    const rotating = createKeyVault(newKey, "environment", oldKey);
    expect(JSON.parse(rotating.open(sealed).toString()).passphrase).to.equal("pass");
    expect((await resealSigningKeys(w.db, rotating)).resealed).to.be.greaterThan(0);
    const [row] = await w.db.select().from(signingKeys).where(eq(signingKeys.organizationId, w.org.id));
    expect(sealedKeyId(row.sealed!)).to.equal(rotating.keyId);
    expect(JSON.parse(createKeyVault(newKey).open(row.sealed!).toString()).passphrase).to.equal("pass");
  });

  it("keeps an opened key for its vault only, and never uses a replaced or removed one", async () => {
    const w = await createWorld();
    const vault = createKeyVault(randomBytes(32));
    const deps = { db: w.db, clock: w.clock, vault };
    const actor = adminActor(w);
    await installSigningKey(deps, { actor, p12: selfSignedP12("pass-1"), passphrase: "pass-1" });
    const first = await openActiveSigningKey(w.db, w.org.id, vault);
    // The same opened key again (not opened a second time), while the row stays the same.
    expect(await openActiveSigningKey(w.db, w.org.id, vault)).to.equal(first);
    // Another vault cannot open the row, cached or not.
    const other = createKeyVault(randomBytes(32));
    const refused = await openActiveSigningKey(w.db, w.org.id, other).catch((e: Error & { code?: string }) => e);
    expect((refused as { code?: string }).code).to.equal("signing_key_unavailable");
    // A replaced key: the new one at once.
    await installSigningKey(deps, { actor, p12: selfSignedP12("pass-2"), passphrase: "pass-2" });
    const second = await openActiveSigningKey(w.db, w.org.id, vault);
    expect(second).to.not.equal(first);
    expect(second!.info.sha256).to.not.equal(first!.info.sha256);
    // A removed key: none.
    await removeSigningKey(deps, { actor });
    expect(await openActiveSigningKey(w.db, w.org.id, vault)).to.equal(null);
  });
});
