import { expect } from "chai";
import { eq } from "drizzle-orm";
import forge from "node-forge";
import { PDFDocument, StandardFonts } from "pdf-lib";
import request from "supertest";
import { blobs, documentSignatures, documents, signingKeys, users } from "../../server/db/schema.js";
import { hashPassword } from "../../server/auth/passwords.js";
import { signPdf } from "../../server/documents/signPdf.js";
import { sha256Hex } from "../../server/documents/verification.js";
import { installSigningKey } from "../../server/commands/signingKeys.js";
import { openP12 } from "../../server/signing/pkcs12.js";
import * as A from "../../server/signing/asn1.js";
import { adminActor, createWorld, type World } from "../support/testApp.js";
import { placeOrder } from "../support/flows.js";

const PASS = "Lhh-TuyenQuang-2026";

/** A PKCS#12 with a self-signed RSA certificate, shaped by `o` (validity, key usage, whether the key is in). */
function makeP12(
  o: { notBefore?: string; notAfter?: string; usage?: Record<string, boolean>; withKey?: boolean; cn?: string } = {},
) {
  const keys = forge.pki.rsa.generateKeyPair(1024);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = "0a1b2c";
  cert.validity.notBefore = new Date(o.notBefore ?? "2025-01-01T00:00:00Z");
  cert.validity.notAfter = new Date(o.notAfter ?? "2030-01-01T00:00:00Z");
  const attrs = [
    { name: "commonName", value: o.cn ?? "Lien hiep hoi Tuyen Quang" },
    { name: "countryName", value: "VN" },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([{ name: "keyUsage", ...(o.usage ?? { digitalSignature: true, nonRepudiation: true }) }]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  const asn = forge.pkcs12.toPkcs12Asn1(o.withKey === false ? null : keys.privateKey, [cert], PASS, {
    algorithm: "3des",
  });
  return Buffer.from(forge.asn1.toDer(asn).getBytes(), "binary");
}

async function tinyPdf(text: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  page.drawText(text, { x: 50, y: 780, size: 14, font: await doc.embedFont(StandardFonts.TimesRoman) });
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

const upload = (w: World, p12: Buffer, passphrase = PASS, who: "admin" | "clerk" = "admin") =>
  w.as(who).uploadPut("/api/v1/signing-key").field("passphrase", passphrase).attach("file", p12, "key.p12");

describe("signing keys and external signatures", function () {
  this.timeout(120_000);
  let w: World;
  const p12 = makeP12();

  before(async () => {
    w = await createWorld();
  });

  it("stores an uploaded .p12 sealed, shows only its certificate, and never returns the key", async () => {
    const r = await upload(w, p12);
    expect(r.status, JSON.stringify(r.body)).to.equal(201);
    const got = await w.as("admin").get("/api/v1/signing-key");
    expect(got.status).to.equal(200);
    expect(got.body.data.active).to.include({ serialNumber: "0A1B2C", status: "active" });
    expect(got.body.data.active.subject).to.include("CN=Lien hiep hoi Tuyen Quang");
    expect(got.body.data.active.notAfter).to.equal("2030-01-01T00:00:00.000Z");
    const text = JSON.stringify(got.body) + JSON.stringify((await w.as("admin").get("/api/v1/settings")).body);
    expect(text).to.not.include(PASS);
    expect(text).to.not.include(p12.toString("base64").slice(0, 40));
    const [row] = await w.db.select().from(signingKeys).where(eq(signingKeys.organizationId, w.org.id));
    expect(row.sealed!.includes(p12.subarray(0, 64))).to.equal(false);
    expect(row.sealed!.toString("latin1")).to.not.include(PASS);
    expect((await w.as("clerk").get("/api/v1/signing-key")).status).to.equal(403);
  });

  it("refuses each bad upload with its own code", async () => {
    const cases: Array<[Buffer, string, number, string]> = [
      [Buffer.from("not a certificate"), PASS, 400, "signing_key_unreadable"],
      [p12, "wrong", 400, "signing_key_wrong_passphrase"],
      [makeP12({ withKey: false }), PASS, 422, "signing_key_no_private_key"],
      [makeP12({ notAfter: "2026-01-01T00:00:00Z" }), PASS, 422, "signing_key_expired"],
      [makeP12({ notBefore: "2027-01-01T00:00:00Z" }), PASS, 422, "signing_key_not_yet_valid"],
      [makeP12({ usage: { keyCertSign: true } }), PASS, 422, "signing_key_usage_invalid"],
    ];
    for (const [bytes, pass, status, code] of cases) {
      const r = await upload(w, bytes, pass);
      expect([r.status, r.body.error?.code], code).to.deep.equal([status, code]);
    }
    expect((await upload(w, p12, PASS, "clerk")).status).to.equal(403);
    const noVault = await installSigningKey(
      { db: w.db, clock: w.clock, vault: null },
      { actor: adminActor(w), p12, passphrase: PASS },
    ).catch((e: { status: number; code: string }) => e);
    expect(noVault).to.include({ status: 409, code: "signing_key_storage_unconfigured" });
  });

  it("replaces and removes the key with a history, wiping retired key material", async () => {
    expect((await upload(w, makeP12({ cn: "Khoa moi" }))).status).to.equal(201);
    const got = await w.as("admin").get("/api/v1/signing-key");
    expect(got.body.data.active.subject).to.include("Khoa moi");
    expect(got.body.data.history.map((k: { status: string }) => k.status)).to.deep.equal(["active", "replaced"]);
    expect((await w.as("admin").delete("/api/v1/signing-key")).status).to.equal(204);
    expect((await w.as("admin").delete("/api/v1/signing-key")).body.error.code).to.equal("signing_key_not_found");
    const rows = await w.db.select().from(signingKeys).where(eq(signingKeys.organizationId, w.org.id));
    expect(rows.map((r) => r.status).sort()).to.deep.equal(["removed", "replaced"]);
    expect(rows.every((r) => r.sealed === null && r.retiredAt !== null)).to.equal(true);
  });

  it("warns on the API and at /readyz 30 days before the certificate expires", async () => {
    const soon = new Date(w.clock.now().getTime() + 20 * 86_400_000).toISOString();
    expect((await upload(w, makeP12({ notAfter: soon }))).status).to.equal(201);
    expect((await w.as("admin").get("/api/v1/signing-key")).body.data.expiresSoon).to.equal(true);
    const ready = await request(w.app).get("/readyz");
    expect(ready.body.signingKeys.expiringWithin30Days).to.be.greaterThan(0);
    await upload(w, p12);
    expect((await w.as("admin").get("/api/v1/signing-key")).body.data.expiresSoon).to.equal(false);
  });

  it("signs with signing-certificate-v2 and no signing-time attribute (PAdES B-B)", async () => {
    const signed = await signPdf(await tinyPdf("Bao cao"), {
      signer: openP12(p12, PASS).signer,
      reason: "Ban hành",
      location: "Tuyên Quang",
      name: "Lien hiep hoi",
      signingTime: new Date("2026-03-02T01:00:00Z"),
    });
    const m = /\/Contents\s*<([0-9a-fA-F]+)>/.exec(signed.toString("latin1"))!;
    const cms = A.children(A.parse(Buffer.from(m[1], "hex")));
    const sd = A.children(A.children(cms[1])[0]);
    const signerInfo = A.children(A.children(sd[sd.length - 1])[0]);
    const oids = A.children(signerInfo[3]).map((attr) => A.oidOf(A.children(attr)[0]));
    expect(oids).to.include.members([A.OID.contentType, A.OID.messageDigest, A.OID.signingCertificateV2]);
    expect(oids).to.not.include(A.OID.signingTime);
  });

  describe("a document signed elsewhere", () => {
    let docId: string;
    let assignmentId: string;
    let issued: Buffer;
    const token = makeP12({ cn: "Nguyen Van Thang (USB token)" });

    before(async () => {
      assignmentId = (await placeOrder(w)).id;
      issued = await tinyPdf("Bao cao ket qua phan bien so 01/BC-LHH");
      const sha256 = sha256Hex(issued);
      await w.db.insert(blobs).values({ sha256, size: issued.length, bytes: issued }).onConflictDoNothing();
      const [doc] = await w.db
        .insert(documents)
        .values({
          organizationId: w.org.id,
          assignmentId,
          kind: "finalReport",
          title: "Báo cáo kết quả phản biện",
          status: "issued",
          register: "BC",
          year: 2026,
          number: 1,
          numberLabel: "01/BC-LHH",
          sha256,
          issuedAt: w.clock.now(),
        })
        .returning();
      docId = doc.id;
    });

    const signElsewhere = (pdf: Buffer) =>
      signPdf(pdf, {
        signer: openP12(token, PASS).signer,
        reason: "Ký bằng USB token",
        location: "Tuyên Quang",
        name: "Nguyễn Văn Thắng",
        signingTime: new Date("2026-03-02T02:00:00Z"),
      });
    const post = (bytes: Buffer, who: "clerk" | "secretariat" = "clerk") =>
      w.as(who).upload(`/api/v1/documents/${docId}/signed`).attach("file", bytes, "signed.pdf");

    it("refuses what is not the issued bytes plus one valid signature, each with its reason", async () => {
      const signed = await signElsewhere(issued);
      const otherDoc = await signElsewhere(await tinyPdf("Mot van ban khac"));
      const inOriginal = Buffer.from(signed);
      inOriginal[200] ^= 0x01;
      const inSignedUpdate = Buffer.from(signed);
      const at = inSignedUpdate.indexOf("/Reason");
      inSignedUpdate[at + 12] ^= 0x01;
      const unsigned = Buffer.concat([issued, Buffer.from("\n% nothing signed\n")]);
      const cases: Array<[Buffer, number, string]> = [
        [Buffer.from("hello"), 415, "signed_file_not_pdf"],
        [issued, 422, "signed_file_not_incremental"],
        [otherDoc, 422, "signed_file_not_incremental"],
        [inOriginal, 422, "signed_file_not_incremental"],
        [unsigned, 422, "signed_file_no_signature"],
        [inSignedUpdate, 422, "signed_file_digest_mismatch"],
      ];
      for (const [bytes, status, code] of cases) {
        const r = await post(bytes);
        expect([r.status, r.body.error?.code], code).to.deep.equal([status, code]);
      }
      expect((await post(signed, "secretariat")).status).to.equal(403);
      const [doc] = await w.db.select().from(documents).where(eq(documents.id, docId));
      expect(doc.sha256).to.equal(sha256Hex(issued));
    });

    it("offers the clerk the upload of a signed copy on the assignment page, and says why one is refused", async () => {
      const clerk = w.userFor("clerk");
      await w.db
        .update(users)
        .set({ passwordHash: await hashPassword("mat-khau-van-thu-2026") })
        .where(eq(users.id, clerk.id));
      const agent = request.agent(w.app);
      await agent
        .post("/login")
        .type("form")
        .send({ email: clerk.email, password: "mat-khau-van-thu-2026", next: "/" });
      const page = await agent.get(`/assignments/${assignmentId}`);
      expect(page.status).to.equal(200);
      expect(page.text).to.include(`/assignments/${assignmentId}/documents/${docId}/signed`);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
      const refused = await agent
        .post(`/assignments/${assignmentId}/documents/${docId}/signed`)
        .field("_csrf", csrf)
        .attach("file", issued, "signed.pdf");
      expect(refused.status).to.equal(422);
      expect(refused.text).to.include("chỉ thêm chữ ký");
    });

    it("keeps a valid incremental signature as the issued bytes, with a history row", async () => {
      const signed = await signElsewhere(issued);
      const r = await post(signed);
      expect(r.status, JSON.stringify(r.body)).to.equal(201);
      expect(r.body.data).to.include({ sha256: sha256Hex(signed), previousSha256: sha256Hex(issued) });
      const pdf = await w.as("clerk").get(`/api/v1/documents/${docId}/pdf`);
      expect(Buffer.compare(pdf.body as Buffer, signed)).to.equal(0);
      const [sig] = await w.db.select().from(documentSignatures).where(eq(documentSignatures.documentId, docId));
      expect(sig.signerSubject).to.include("USB token");
      const hist = await w.as("secretariat").get(`/api/v1/assignments/${assignmentId}/history`);
      const row = hist.body.data.find((h: { event: string }) => h.event === "document.signed");
      expect(row, JSON.stringify(hist.body.data.map((h: { event: string }) => h.event))).to.not.equal(undefined);
      // The issued bytes before stay on record.
      expect(
        (
          await w.db
            .select()
            .from(blobs)
            .where(eq(blobs.sha256, sha256Hex(issued)))
        ).length,
      ).to.equal(1);
    });
  });
});
