/**
 * The signature placeholder of @signpdf/placeholder-plain (`plainAddPlaceholder`, v3.3, MIT),
 * step for step with the package's own parts, with one difference: whether the file already refers
 * to an AcroForm is searched in the bytes themselves (`acroFormRefInBytes`), not in the whole PDF
 * decoded as UTF-8. That decoding of a 275 KiB binary file was half of the CPU of signing an issued
 * report (the invalid sequences make it a two-byte string of replacement characters; issue 15 §3,
 * branch doc7); decoding it as latin1 still cost about 1.2 ms.
 * The package's parts are loaded from where the package itself finds them, so they are the same
 * code and versions it uses.
 */
import { createRequire } from "node:module";

const plainRequire = createRequire(createRequire(import.meta.url).resolve("@signpdf/placeholder-plain"));
const part = <T>(name: string) => (plainRequire(`./${name}`) as { default: T }).default;

type Xref = { maxIndex: number };
type PdfInfo = { xref: Xref; root: Buffer | string; rootRef: string };
type Reference = object;
const readPdf = part<(pdf: Buffer) => PdfInfo>("readPdf");
const getPageRef = part<(pdf: Buffer, info: PdfInfo) => string>("getPageRef");
const getIndexFromRef = part<(xref: Xref, ref: string) => number>("getIndexFromRef");
const createBufferRootWithAcroform =
  part<(pdf: Buffer, info: PdfInfo, form: Reference) => Buffer>("createBufferRootWithAcroform");
const createBufferPageWithAnnotation = part<(pdf: Buffer, info: PdfInfo, page: string, widget: Reference) => Buffer>(
  "createBufferPageWithAnnotation",
);
const createBufferTrailer =
  part<(pdf: Buffer, info: PdfInfo, added: Map<number, number>) => Buffer>("createBufferTrailer");
const utils = plainRequire("@signpdf/utils") as {
  removeTrailingNewLine(pdf: Buffer): Buffer;
  PDFObject: { convert(input: unknown): string };
  PDFKitReferenceMock: new (index: number, extra?: object) => Reference;
};
const { pdfkitAddPlaceholder } = plainRequire("@signpdf/placeholder-pdfkit010") as {
  pdfkitAddPlaceholder(input: Record<string, unknown>): { form: Reference; widget: Reference };
};

/** What `plainAddPlaceholder` takes (the options TVPB passes). */
export type PlaceholderInput = {
  pdfBuffer: Buffer;
  reason: string;
  contactInfo: string;
  name: string;
  location: string;
  signingTime: Date;
  signatureLength: number;
  subFilter: string;
  appName: string;
};

/** An existing `/AcroForm n g R` reference, as the package's regular expression finds it. */
function acroFormRef(text: string): string | undefined {
  return /\/AcroForm\s+(\d+\s\d+\sR)/g.exec(text)?.[1] || undefined;
}

/** `\s` of a regular expression, for a latin1 byte: HT, LF, VT, FF, CR, space and no-break space. */
function isRegExpSpace(c: number | undefined): boolean {
  return c === 0x20 || (c !== undefined && c >= 0x09 && c <= 0x0d) || c === 0xa0;
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

/**
 * What `acroFormRef(pdf.toString("latin1"))` answers, read from the bytes without decoding the
 * whole file (a 245 KB latin1 string cost about 1.2 ms of CPU and a large object for the collector,
 * on every signature): each "/AcroForm" in file order, the first followed by `\s+\d+\s\d+\sR`.
 * `\s` and `\d` share no character, so the expression never backtracks and this scan is exact.
 */
export function acroFormRefInBytes(pdf: Buffer): string | undefined {
  for (let at = pdf.indexOf("/AcroForm"); at !== -1; at = pdf.indexOf("/AcroForm", at + 1)) {
    let i = at + "/AcroForm".length;
    if (!isRegExpSpace(pdf[i])) continue;
    while (isRegExpSpace(pdf[i])) i++;
    const start = i;
    if (!isDigit(pdf[i])) continue;
    while (isDigit(pdf[i])) i++;
    if (!isRegExpSpace(pdf[i++]) || !isDigit(pdf[i])) continue;
    while (isDigit(pdf[i])) i++;
    if (!isRegExpSpace(pdf[i++]) || pdf[i] !== 0x52 /* R */) continue;
    return pdf.toString("latin1", start, i + 1);
  }
  return undefined;
}

/**
 * Adds the signature placeholder as an incremental update (the same bytes as `plainAddPlaceholder`).
 * @throws what the package's parts throw for a PDF they cannot read
 */
export function addSignaturePlaceholder(input: PlaceholderInput): Buffer {
  let pdf = utils.removeTrailingNewLine(input.pdfBuffer);
  const info = readPdf(pdf);
  const pageRef = getPageRef(pdf, info);
  const pageIndex = getIndexFromRef(info.xref, pageRef);
  const added = new Map<number, number>();
  const pdfKitMock = {
    ref: (value: unknown, knownIndex?: number) => {
      info.xref.maxIndex += 1;
      const index = knownIndex ?? info.xref.maxIndex;
      added.set(index, pdf.length + 1); // + 1: the new line
      pdf = Buffer.concat([pdf, Buffer.from(`\n${index} 0 obj\n${utils.PDFObject.convert(value)}\nendobj\n`)]);
      return new utils.PDFKitReferenceMock(info.xref.maxIndex);
    },
    page: { dictionary: new utils.PDFKitReferenceMock(pageIndex, { data: { Annots: [] } }) },
    _root: { data: {} as Record<string, unknown> },
  };
  const existing = acroFormRef(info.root.toString());
  if (existing) pdfKitMock._root.data.AcroForm = existing;
  const { form, widget } = pdfkitAddPlaceholder({ ...input, pdf: pdfKitMock, widgetRect: [0, 0, 0, 0] });
  if (!acroFormRefInBytes(pdf)) {
    added.set(getIndexFromRef(info.xref, info.rootRef), pdf.length + 1);
    pdf = Buffer.concat([pdf, Buffer.from("\n"), createBufferRootWithAcroform(pdf, info, form)]);
  }
  added.set(pageIndex, pdf.length + 1);
  pdf = Buffer.concat([pdf, Buffer.from("\n"), createBufferPageWithAnnotation(pdf, info, pageRef, widget)]);
  return Buffer.concat([pdf, Buffer.from("\n"), createBufferTrailer(pdf, info, added)]);
}
