import { expect } from "chai";
import { readFileSync } from "node:fs";
import { plainAddPlaceholder } from "@signpdf/placeholder-plain";
import { addSignaturePlaceholder } from "../../server/documents/signaturePlaceholder.js";
import { signPdf } from "../../server/documents/signPdf.js";
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
