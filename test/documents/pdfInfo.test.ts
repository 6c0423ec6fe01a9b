import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect } from "chai";
import { PDFDict, PDFDocument, PDFName, PDFString } from "pdf-lib";
import { applyPdfMetadata } from "../../server/adapters/pdf.js";
import { appendPdfInfo, pdfDate, pdfTextString, PdfStructureError } from "../../server/documents/pdfInfo.js";
import { signPdf } from "../../server/documents/signPdf.js";
import { openP12 } from "../../server/signing/pkcs12.js";
import {
  documentTemplates,
  pdfInfo,
  pdfSig,
  pdfText,
  samples,
  sealImage,
  selfSignedP12,
  sharedRenderer,
  signerImage,
} from "../support/documents.js";

const run = promisify(execFile);

/** `qpdf --check`, when qpdf is installed (it is not a TVPB dependency); undefined otherwise. */
async function qpdfCheck(pdf: Buffer): Promise<string | undefined> {
  const dir = mkdtempSync(join(tmpdir(), "tvpb-qpdf-"));
  try {
    writeFileSync(join(dir, "a.pdf"), pdf);
    const { stdout } = await run("qpdf", ["--check", join(dir, "a.pdf")]);
    return stdout;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A small hand-written PDF with a classic xref table, laid out like Chromium's (Info first, catalog
 * last), with awkward but legal syntax in the Info dictionary: escaped and nested parentheses, a
 * comment, an array, a hex string and an indirect reference.
 */
function handMadePdf(options: { info?: boolean; id?: boolean; infoPad?: number; tailPad?: number } = {}): Buffer {
  const objects = [
    "<</Title (Old \\(title\\) with (nested) parens)\n/Producer (Skia/PDF m156) % a comment\n/CreationDate " +
      "(D:20200102030405+00'00')\n/Custom [1 0 R <ABCD> /Name]" +
      (options.infoPad ? `\n/Padding <${"AB".repeat(options.infoPad / 2)}>` : "") +
      ">>",
    "<</Type /Pages /Kids [3 0 R] /Count 1>>",
    "<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources <<>> /Contents 4 0 R>>",
    "<</Length 8>>\nstream\n0 0 m Q\nendstream",
    "<</Type /Catalog /Pages 2 0 R /Lang (en-US)>>",
    // An object after the catalog (as a file's fonts can be), so that the file goes on past it.
    ...(options.tailPad ? [`<</Length ${options.tailPad}>>\nstream\n${"%".repeat(options.tailPad)}\nendstream`] : []),
  ];
  // Object 1 is the Info dictionary; the catalog is object 5.
  let out = "%PDF-1.4\n%\xd3\xeb\xe9\xe1\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, "0")} 00000 n \n`;
  const info = options.info === false ? "" : "/Info 1 0 R\n";
  const id = options.id ? "/ID [<00112233445566778899AABBCCDDEEFF> <00112233445566778899AABBCCDDEEFF>]\n" : "";
  out += `trailer\n<</Size ${objects.length + 1}\n/Root 5 0 R\n${info}${id}>>\nstartxref\n${xref}\n%%EOF`;
  return Buffer.from(out, "latin1");
}

const vietnamese = {
  title: "Báo cáo kết quả phản biện Đề án phát triển cây dược liệu tỉnh Hà Giang giai đoạn 2026–2030",
  subject: "Phản biện (độc lập)",
  author: "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Hà Giang",
  keywords: "phản biện dược liệu",
};

async function catalogOf(pdf: Buffer) {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const lang = doc.catalog.lookup(PDFName.of("Lang"), PDFString).decodeText();
  const prefs = doc.catalog.lookup(PDFName.of("ViewerPreferences"), PDFDict);
  return { doc, lang, displayDocTitle: prefs.get(PDFName.of("DisplayDocTitle"))?.toString() };
}

describe("documents/pdfInfo: metadata as an incremental update", () => {
  it("encodes text strings as UTF-16BE hex with a BOM and dates in UTC", () => {
    expect(pdfTextString("Hà")).to.equal("<FEFF004800E0>");
    expect(pdfTextString("🌿")).to.equal("<FEFFD83CDF3F>");
    expect(pdfDate(new Date("2026-02-10T09:15:07+07:00"))).to.equal("(D:20260210021507+00'00')");
  });

  it("appends Info and catalog to a classic-xref PDF: poppler, pdf-lib and qpdf read it back", async () => {
    const original = handMadePdf({ id: true });
    const copy = Buffer.from(original);
    const createdAt = new Date("2026-02-10T02:15:00Z");
    const out = appendPdfInfo(original, {
      ...vietnamese,
      creator: "TVPB",
      producer: "TVPB (Chromium)",
      creationDate: createdAt,
      modDate: createdAt,
      lang: "vi-VN",
      displayDocTitle: true,
    });

    // The original bytes are untouched and come first; the update follows them.
    expect(original.equals(copy)).to.equal(true);
    expect(out.subarray(0, original.length).equals(original)).to.equal(true);
    const update = out.subarray(original.length).toString("latin1");
    expect(update).to.match(/^\n1 0 obj\n/);
    expect(update).to.match(/\/Prev \d+>>\nstartxref\n\d+\n%%EOF\n$/);
    expect(update).to.include("/ID [<00112233445566778899AABBCCDDEEFF> <00112233445566778899AABBCCDDEEFF>]");

    const info = await pdfInfo(out);
    expect(info.Title).to.equal(vietnamese.title);
    expect(info.Subject).to.equal(vietnamese.subject);
    expect(info.Author).to.equal(vietnamese.author);
    expect(info.Keywords).to.equal(vietnamese.keywords);
    expect(info.Creator).to.equal("TVPB");
    expect(info.Producer).to.equal("TVPB (Chromium)");
    expect(info.CreationDate).to.equal("Tue Feb 10 02:15:00 2026 UTC");
    expect(info.Pages).to.equal("1");

    const { doc, lang, displayDocTitle } = await catalogOf(out);
    expect(doc.getTitle()).to.equal(vietnamese.title);
    expect(doc.getAuthor()).to.equal(vietnamese.author);
    expect(doc.getCreationDate()?.toISOString()).to.equal(createdAt.toISOString());
    expect(lang).to.equal("vi-VN");
    expect(displayDocTitle).to.equal("true");
    // Entries it was not asked to set are kept as they were.
    expect(update).to.include("/Custom [1 0 R <ABCD> /Name]\n");
    const infoDict = doc.context.lookup(doc.context.trailerInfo.Info, PDFDict);
    expect(infoDict.get(PDFName.of("Custom"))?.toString()).to.equal("[ 1 0 R <ABCD> /Name ]");
    expect((await pdfInfo(out)).ModDate).to.equal("Tue Feb 10 02:15:00 2026 UTC");

    const check = await qpdfCheck(out);
    if (check !== undefined) expect(check).to.include("No syntax or stream encoding errors found");
  });

  it("keeps existing Info entries it is not asked to change, and adds an Info object when there is none", async () => {
    const kept = appendPdfInfo(handMadePdf(), { author: "Hội Nông dân", lang: "vi-VN" });
    const info = await pdfInfo(kept);
    expect(info.Title).to.equal("Old (title) with (nested) parens");
    expect(info.Producer).to.equal("Skia/PDF m156");
    expect(info.CreationDate).to.equal("Thu Jan  2 03:04:05 2020 UTC");
    expect(info.Author).to.equal("Hội Nông dân");

    const none = appendPdfInfo(handMadePdf({ info: false }), { title: "Tờ trình", lang: "vi-VN" });
    expect(none.subarray(-120).toString("latin1")).to.match(/\/Size 7\n\/Root 5 0 R\n\/Info 6 0 R\n/);
    expect((await pdfInfo(none)).Title).to.equal("Tờ trình");
    const check = await qpdfCheck(none);
    if (check !== undefined) expect(check).to.include("No syntax or stream encoding errors found");
  });

  it("reads an Info dictionary larger than its first window, and a catalog with the file going on after it", async () => {
    const big = handMadePdf({ infoPad: 40_000, tailPad: 60_000 });
    const out = appendPdfInfo(big, { author: "Hội Nông dân", lang: "vi-VN", displayDocTitle: true });
    expect(out.subarray(0, big.length).equals(big), "the original bytes untouched").to.equal(true);
    const info = await pdfInfo(out);
    expect(info.Title).to.equal("Old (title) with (nested) parens");
    expect(info.Author).to.equal("Hội Nông dân");
    const update = out.subarray(big.length).toString("latin1");
    expect(update, "the Info object written again whole").to.include(`/Padding <${"AB".repeat(20_000)}>`);
    expect(update).to.match(/\/Type \/Catalog\n\/Pages 2 0 R\n\/Lang \(vi-VN\)/);
    expect(await catalogOf(out)).to.include({ lang: "vi-VN", displayDocTitle: "true" });
    const check = await qpdfCheck(out);
    if (check !== undefined) expect(check).to.include("No syntax or stream encoding errors found");
  });

  it("updates an already updated file (follows /Prev), newest values win", async () => {
    const once = appendPdfInfo(handMadePdf(), { title: "Lần một", lang: "en" });
    const twice = appendPdfInfo(once, { title: "Lần hai", lang: "vi-VN", displayDocTitle: true });
    expect((await pdfInfo(twice)).Title).to.equal("Lần hai");
    const { doc, lang } = await catalogOf(twice);
    expect(doc.getTitle()).to.equal("Lần hai");
    expect(lang).to.equal("vi-VN");
  });

  it("refuses what it does not understand with PdfStructureError: cross-reference streams, encryption, junk", async () => {
    const doc = await PDFDocument.create();
    doc.addPage();
    const xrefStream = Buffer.from(await doc.save({ useObjectStreams: true }));
    expect(() => appendPdfInfo(xrefStream, { title: "x" })).to.throw(PdfStructureError, /cross-reference stream/);
    const encrypted = Buffer.from(
      handMadePdf().toString("latin1").replace("/Root 5 0 R\n", "/Root 5 0 R\n/Encrypt 9 0 R\n"),
      "latin1",
    );
    expect(() => appendPdfInfo(encrypted, { title: "x" })).to.throw(PdfStructureError, /encrypted/);
    expect(() => appendPdfInfo(Buffer.from("not a pdf"), { title: "x" })).to.throw(PdfStructureError);
    expect(() => appendPdfInfo(handMadePdf().subarray(0, 400), { title: "x" })).to.throw(PdfStructureError);
  });

  it("falls back to a pdf-lib rewrite (and says so) for a PDF it cannot update in place", async () => {
    const doc = await PDFDocument.create();
    doc.addPage();
    const xrefStream = Buffer.from(await doc.save({ useObjectStreams: true }));
    const warnings: object[] = [];
    const log = { info() {}, error() {}, warn: (o: object) => warnings.push(o) };
    const out = await applyPdfMetadata(xrefStream, { title: vietnamese.title, author: vietnamese.author }, log);
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.include({ event: "pdf.metadata.fallback" });
    const info = await pdfInfo(out);
    expect(info.Title).to.equal(vietnamese.title);
    expect(info.Producer).to.equal("TVPB (Chromium, pdf-lib)");
    expect((await catalogOf(out)).lang).to.equal("vi-VN");
    // A classic xref table, as signing needs.
    expect(out.toString("latin1")).to.match(/\nxref\n0 \d+\n0000000000 65535 f/);
  });

  it("a rendered document: Chromium's bytes plus one small update, readable, and it still signs", async () => {
    const templates = documentTemplates();
    const signingTime = new Date("2026-02-10T02:15:00Z");
    const vm = { ...samples.coverLetter, signature: { signerImage, sealImage, signedAt: signingTime } };
    const metadata = { ...templates.metadata("coverLetter", vm), createdAt: signingTime };
    const pdf = await sharedRenderer().render(templates.render("coverLetter", vm, { draft: false }), { metadata });

    const text = pdf.toString("latin1");
    expect(text.match(/startxref/g)).to.have.length(2);
    expect(text).to.match(/^%PDF-1\.\d/);
    expect(pdf.length - text.lastIndexOf("%%EOF", text.lastIndexOf("%%EOF") - 1)).to.be.below(4096);

    const info = await pdfInfo(pdf);
    expect(info.Title).to.equal(metadata.title);
    expect(info.Title).to.match(/[ăâđêôơư]/i);
    expect(info.Author).to.equal(metadata.author);
    expect(info.Creator).to.equal("TVPB");
    expect(info.Producer).to.equal("TVPB (Chromium)");
    expect(info.CreationDate).to.equal("Tue Feb 10 02:15:00 2026 UTC");
    expect(info["Page size"]).to.match(/\(A4\)/);
    expect(info.Tagged).to.equal("yes");
    const { doc, lang, displayDocTitle } = await catalogOf(pdf);
    expect(doc.getTitle()).to.equal(metadata.title);
    expect(doc.getAuthor()).to.equal(metadata.author);
    expect(lang).to.equal("vi-VN");
    expect(displayDocTitle).to.equal("true");
    expect(await pdfText(pdf)).to.include("Kính gửi");
    const check = await qpdfCheck(pdf);
    if (check !== undefined) expect(check).to.include("No syntax or stream encoding errors found");

    const p12 = selfSignedP12("Lhh-HaGiang-2026");
    const signed = await signPdf(pdf, {
      signer: openP12(p12, "Lhh-HaGiang-2026").signer,
      reason: "Ban hành",
      location: "Hà Giang",
      name: "Nguyễn Đức Hưởng",
      signingTime,
    });
    const report = await pdfSig(signed);
    expect(report).to.match(/Signature Validation: Signature is Valid\./);
    expect(report).to.match(/Total document signed/);
    // The signature's update leaves our metadata in place.
    expect((await pdfInfo(signed)).Title).to.equal(metadata.title);
  });
});
