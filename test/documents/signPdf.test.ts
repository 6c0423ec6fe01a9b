import { expect } from "chai";
import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import forge from "node-forge";
import { plainAddPlaceholder } from "@signpdf/placeholder-plain";
import { acroFormRefInBytes, addSignaturePlaceholder } from "../../server/documents/signaturePlaceholder.js";
import { signatureRoom, signPdf } from "../../server/documents/signPdf.js";
import type { CmsSigner } from "../../server/signing/cms.js";
import { openP12 } from "../../server/signing/pkcs12.js";
import { EffectError } from "../../server/errors.js";
import {
  documentTemplates,
  pdfSig,
  samples,
  sealImage,
  selfSignedP12,
  sharedRenderer,
  signerImage,
} from "../support/documents.js";

describe("documents/signPdf", () => {
  let p12: Buffer;
  let pdf: Buffer;
  const signingTime = new Date("2026-02-10T02:15:00Z");

  before(async () => {
    p12 = selfSignedP12("Lhh-HaGiang-2026");
    const templates = documentTemplates();
    const vm = { ...samples.coverLetter, signature: { signerImage, sealImage, signedAt: signingTime } };
    pdf = await sharedRenderer().render(templates.render("coverLetter", vm, { draft: false }), {
      metadata: templates.metadata("coverLetter", vm),
    });
  });

  it("adds the placeholder byte for byte as @signpdf/placeholder-plain does, with and without an AcroForm", () => {
    const input = (pdfBuffer: Buffer) => ({
      pdfBuffer,
      reason: "Ban hành Báo cáo số 07/BC-LHH",
      location: "Hà Giang",
      name: "Nguyễn Đức Hưởng",
      contactInfo: "tvpb@lienhiephoi-hagiang.vn",
      signingTime,
      signatureLength: 24_576,
      subFilter: "ETSI.CAdES.detached",
      appName: "TVPB",
    });
    const sample = readFileSync(new URL("../../docs/samples/finalReport.pdf", import.meta.url));
    const once = addSignaturePlaceholder(input(sample));
    expect(once.equals(plainAddPlaceholder(input(sample)))).to.equal(true);
    expect(sample.includes("/AcroForm")).to.equal(false);
    // A second placeholder finds the AcroForm the first one added to the catalog.
    expect(/\/AcroForm\s+\d+ 0 R/.test(once.toString("latin1"))).to.equal(true);
    expect(addSignaturePlaceholder(input(once)).equals(plainAddPlaceholder(input(once)))).to.equal(true);
  });

  it("finds an /AcroForm reference in the bytes exactly as the expression finds it in the latin1 text", () => {
    const expression = (b: Buffer) => /\/AcroForm\s+(\d+\s\d+\sR)/g.exec(b.toString("latin1"))?.[1] || undefined;
    const crafted = [
      "<</Type /Catalog /AcroForm 12 0 R>>",
      "/AcroForm\n\t 7\r0\nR",
      "/AcroForm\xa012\xa00\xa0R", // a no-break space is \s for the expression
      "/AcroForm 12 0  R /AcroForm 3 0 R", // two spaces before R: not a match; the second is
      "/AcroForm <</Fields []>> /AcroForm 9 0 R",
      "/AcroForm12 0 R",
      "/AcroForm 12 0 Rx",
      "/AcroForm 1 2 ",
      "/AcroForm 12 0",
      "/AcroForm",
      "/AcroForm \x85 1 0 R", // NEL is not \s
      "no form at all",
    ].map((t) => Buffer.from(t, "latin1"));
    let seed = 7;
    const next = () => (seed = (seed * 16_807) % 2_147_483_647); // Park and Miller's generator: exact in a double
    const pick = (xs: string[], n: number) => Array.from({ length: n }, () => xs[next() % xs.length]).join("");
    // Each part of a reference (space, number, space, number, space, R) mostly right, sometimes
    // doubled, left out or wrong: matches, near misses, and a second "/AcroForm" after them.
    const part = (right: string[], wrong: string[]) =>
      next() % 4 ? pick(right, 1 + (next() % 5 === 0 ? 1 : 0)) : pick(wrong, next() % 2);
    const space = () => part([" ", "\n", "\r", "\t", "\xa0"], ["\x85", "x", "/"]);
    const digits = () => part(["1", "23", "0"], ["R", "a"]);
    const random = Array.from({ length: 3000 }, () =>
      Buffer.from(
        pick(["a", " ", "/", "R"], next() % 4) +
          `/AcroForm${space()}${digits()}${space()}${digits()}${space()}${part(["R"], ["r", "Q"])}` +
          pick(["/AcroForm", " ", "1", "0", "R"], next() % 8),
        "latin1",
      ),
    );
    for (const b of [...crafted, ...random])
      expect(acroFormRefInBytes(b), JSON.stringify(b.toString("latin1"))).to.equal(expression(b));
    expect(acroFormRefInBytes(crafted[3])).to.equal("3 0 R");
    expect(
      random.filter((b) => expression(b) !== undefined).length,
      "the random inputs hold matches",
    ).to.be.greaterThan(20);
  });

  it("signs a rendered document so that pdfsig finds a valid signature over the whole file", async () => {
    const signed = await signPdf(pdf, {
      signer: openP12(p12, "Lhh-HaGiang-2026").signer,
      reason: "Ban hành Công văn số 37/LHH-TVPB",
      location: "Hà Giang",
      name: "Nguyễn Đức Hưởng",
      signingTime,
    });
    expect(signed.length).to.be.greaterThan(pdf.length);
    const report = await pdfSig(signed);
    expect(report).to.match(/Signature #1/);
    expect(report).to.match(/Signature Validation: Signature is Valid\./);
    expect(report).to.match(/Total document signed/);
    expect(report).to.match(/Signing Time:.*2026/);
    expect(report).to.include("ETSI.CAdES.detached");
    expect(report).to.include("Lien hiep cac Hoi KH&KT tinh Ha Giang");
  });

  it("sizes the signature's room from the certificate chain: a 4096-bit key under two CAs signs in less room than the old fixed 24 KiB", async () => {
    const signer = chainSigner();
    const room = signatureRoom(signer, false);
    expect(room).to.be.below(24_576);
    expect(signatureRoom(signer, true)).to.equal(24_576); // a timestamp token's size is not known before
    const signed = await signPdf(pdf, { signer, reason: "Ban hành", location: "Hà Giang", name: "x", signingTime });
    const report = await pdfSig(signed);
    expect(report).to.match(/Signature Validation: Signature is Valid\./);
    expect(report).to.match(/Total document signed/);
    // The placeholder is written as hex, twice the room; the rest of the incremental update is under 2 KB.
    expect(signed.length - pdf.length).to.be.within(2 * room, 2 * room + 2_048);
    // What the signature uses of the room (its hex up to the zeros that pad it), with a margin left.
    const contents = /\/Contents\s*<([0-9a-fA-F]+)>/.exec(signed.toString("latin1"))![1];
    expect(contents.length).to.equal(2 * room);
    const used = contents.replace(/(00)+$/, "").length / 2;
    expect(used)
      .to.be.above(room - 4_096 - 1_024)
      .and.below(room - 2_048);
    // The default test key (2048-bit, self-signed) leaves the room at 5 KiB.
    expect(signatureRoom(openP12(p12, "Lhh-HaGiang-2026").signer, false)).to.equal(5_120);
  });

  it("reports a tampered signed file as invalid", async () => {
    const signed = await signPdf(pdf, {
      signer: openP12(p12, "Lhh-HaGiang-2026").signer,
      reason: "Ban hành",
      location: "Hà Giang",
      name: "Nguyễn Đức Hưởng",
      signingTime,
    });
    const tampered = Buffer.from(signed);
    const at = tampered.indexOf("Kính gửi") > 0 ? tampered.indexOf("Kính gửi") : 200;
    tampered[at] ^= 0x01;
    expect(await pdfSig(tampered)).to.not.match(/Signature is Valid/);
  });

  it("fails with a permanent signing_failed for a key that cannot sign", async () => {
    const signer = { ...openP12(p12, "Lhh-HaGiang-2026").signer, keyPem: "not a key" };
    const err = await signPdf(pdf, { signer, reason: "x", location: "Hà Giang", name: "x", signingTime }).catch(
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(EffectError);
    expect((err as EffectError).code).to.equal("signing_failed");
    expect((err as EffectError).permanent).to.equal(true);
  });
});

/**
 * A signer at the large end of what Unions receive: a 4096-bit key, its certificate issued by an
 * intermediate CA under a root CA (both 4096-bit, and in the chain), with long Vietnamese-style names.
 */
function chainSigner(): CmsSigner {
  const pair = () => {
    const pem = generateKeyPairSync("rsa", { modulusLength: 4096 })
      .privateKey.export({ type: "pkcs1", format: "pem" })
      .toString();
    const priv = forge.pki.privateKeyFromPem(pem);
    return { priv, pub: forge.pki.setRsaPublicKey(priv.n, priv.e), pem };
  };
  const name = (cn: string) => [
    { name: "commonName", value: cn },
    { name: "organizationName", value: "Lien hiep cac Hoi Khoa hoc va Ky thuat tinh Ha Giang - Van phong" },
    { name: "organizationalUnitName", value: "Ban Tu van, Phan bien va Giam dinh xa hoi" },
    { name: "localityName", value: "Thanh pho Ha Giang" },
    { name: "countryName", value: "VN" },
  ];
  const issue = (
    subject: string,
    key: ReturnType<typeof pair>,
    issuer: string,
    by: ReturnType<typeof pair>,
    ca: boolean,
  ) => {
    const cert = forge.pki.createCertificate();
    cert.publicKey = key.pub;
    cert.serialNumber = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
    cert.validity.notBefore = new Date("2025-01-01T00:00:00Z");
    cert.validity.notAfter = new Date("2030-01-01T00:00:00Z");
    cert.setSubject(name(subject));
    cert.setIssuer(name(issuer));
    cert.setExtensions([
      { name: "basicConstraints", cA: ca },
      { name: "keyUsage", digitalSignature: true, nonRepudiation: true, keyCertSign: ca },
      { name: "subjectKeyIdentifier" },
    ]);
    cert.sign(by.priv, forge.md.sha256.create());
    return Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), "binary");
  };
  const [root, mid, leaf] = [pair(), pair(), pair()];
  const rootName = "Vietnam National Root CA (test)";
  const midName = "Public Certification Authority for Public Services (test)";
  return {
    keyPem: leaf.pem,
    certificate: issue("Nguyen Duc Huong - Chu tich", leaf, midName, mid, false),
    chain: [issue(midName, mid, rootName, root, true), issue(rootName, root, rootName, root, true)],
  };
}
