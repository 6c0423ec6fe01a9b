/**
 * Sets a PDF's document information (the Info dictionary: title, author, dates…) and the catalog's
 * /Lang and /ViewerPreferences by appending an *incremental update* (ISO 32000-1 §7.5.6) to the
 * bytes as they are, instead of parsing and re-serialising the whole file (pdf-lib took 32–45 ms
 * for a ten-page report; this takes about a millisecond).
 *
 * The update is: a new version of the Info object and of the catalog (same object numbers, old
 * entries kept, ours added or replaced), a classic `xref` section listing just those objects, and a
 * trailer with /Prev pointing at the previous section. The original bytes are untouched, so every
 * other object keeps its offset. Because the update uses a classic xref table and trailer,
 * @signpdf/placeholder-plain (server/documents/signPdf.ts) can add its own update on top.
 *
 * Only what Chromium writes is supported: a classic xref table (possibly already followed by
 * earlier updates), no encryption, Info and catalog as plain dictionaries. Anything else throws
 * `PdfStructureError` and the caller falls back to a full rewrite (server/adapters/pdf.ts).
 */

/** The file is not one this module can update in place (the caller should rewrite it instead). */
export class PdfStructureError extends Error {
  override name = "PdfStructureError";
}

/** What to set. Absent fields leave the existing entry (e.g. Chromium's own dates) as it is. */
export interface PdfInfoUpdate {
  title?: string;
  subject?: string;
  author?: string;
  /** One string; pdf-lib's convention for a list is to join it with spaces. */
  keywords?: string;
  creator?: string;
  producer?: string;
  creationDate?: Date;
  modDate?: Date;
  /** Catalog /Lang, a BCP 47 tag such as "vi-VN". */
  lang?: string;
  /** Catalog /ViewerPreferences /DisplayDocTitle: viewers show the title, not the file name. */
  displayDocTitle?: boolean;
}

function fail(why: string): never {
  throw new PdfStructureError(why);
}

// --- A minimal PDF lexer over the file read as latin1 (one char per byte, so string offsets are
// byte offsets). It only needs to find where a value ends, never to interpret it.

/** PDF white-space characters (§7.2.2): NUL, HT, LF, FF, CR, SP. */
function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x00;
}

/** PDF delimiters (§7.2.2): ( ) < > [ ] { } / %. */
function isDelimiter(c: number): boolean {
  return (
    c === 0x28 ||
    c === 0x29 ||
    c === 0x3c ||
    c === 0x3e ||
    c === 0x5b ||
    c === 0x5d ||
    c === 0x7b ||
    c === 0x7d ||
    c === 0x2f ||
    c === 0x25
  );
}

/** Skips white space and comments. */
function skipSpace(s: string, i: number): number {
  for (;;) {
    while (i < s.length && isSpace(s.charCodeAt(i))) i++;
    if (s[i] !== "%") return i;
    while (i < s.length && s[i] !== "\n" && s[i] !== "\r") i++;
  }
}

/** Where the value starting at `i` ends: one token, or one balanced string, array or dictionary. */
function skipValue(s: string, i: number): number {
  const c = s[i];
  if (c === "(") {
    // Literal string: balanced parentheses; a backslash escapes the next character.
    for (let depth = 0; i < s.length; i++) {
      if (s[i] === "\\") i++;
      else if (s[i] === "(") depth++;
      else if (s[i] === ")" && --depth === 0) return i + 1;
    }
    fail("unterminated string");
  }
  if (c === "<" && s[i + 1] === "<") {
    for (i = skipSpace(s, i + 2); !s.startsWith(">>", i); i = skipSpace(s, skipValue(s, i))) {
      if (i >= s.length) fail("unterminated dictionary");
    }
    return i + 2;
  }
  if (c === "<") {
    const end = s.indexOf(">", i);
    return end < 0 ? fail("unterminated hex string") : end + 1;
  }
  if (c === "[") {
    for (i = skipSpace(s, i + 1); s[i] !== "]"; i = skipSpace(s, skipValue(s, i))) {
      if (i >= s.length) fail("unterminated array");
    }
    return i + 1;
  }
  if (i >= s.length) fail("unexpected end of file");
  if (c !== "/" && isDelimiter(s.charCodeAt(i))) fail(`unexpected ${JSON.stringify(c)} at ${i}`);
  // A name (/Catalog) or a bare token (number, true, null, R): up to the next space or delimiter.
  let j = i + 1;
  while (j < s.length && !isSpace(s.charCodeAt(j)) && !isDelimiter(s.charCodeAt(j))) j++;
  return j;
}

/** An indirect reference `12 0 R` as a dictionary value. */
const REF_VALUE = /\d+\s+\d+\s+R(?![^\s()<>[\]{}/%])/y;

/**
 * The top-level entries of the dictionary at `at` (`<<` … `>>`), key (with its slash) → the value's
 * source text, in file order; and where the dictionary ends.
 */
function parseDict(s: string, at: number): { entries: Map<string, string>; end: number } {
  if (!s.startsWith("<<", at)) fail(`expected a dictionary at ${at}`);
  const entries = new Map<string, string>();
  let i = skipSpace(s, at + 2);
  while (!s.startsWith(">>", i)) {
    if (s[i] !== "/") fail(`expected a name at ${i}`);
    const keyEnd = skipValue(s, i);
    const valueAt = skipSpace(s, keyEnd);
    REF_VALUE.lastIndex = valueAt;
    const valueEnd = REF_VALUE.test(s) ? REF_VALUE.lastIndex : skipValue(s, valueAt);
    entries.set(s.slice(i, keyEnd), s.slice(valueAt, valueEnd));
    i = skipSpace(s, valueEnd);
  }
  return { entries, end: i + 2 };
}

function writeDict(entries: Map<string, string>): string {
  return `<<${[...entries].map(([key, value]) => `${key} ${value}`).join("\n")}>>`;
}

interface Ref {
  num: number;
  gen: number;
}

function parseRef(value: string | undefined, what: string): Ref {
  const m = value === undefined ? null : /^(\d+)\s+(\d+)\s+R$/.exec(value);
  return m ? { num: Number(m[1]), gen: Number(m[2]) } : fail(`${what} is not an indirect reference: ${value}`);
}

// --- Cross-reference table (§7.5.4) and trailer (§7.5.5).

/** An in-use entry's byte offset and generation; null for a free (deleted) object. */
type XrefEntry = { offset: number; gen: number } | null;

const SUBSECTION = /(\d+)\s+(\d+)/y;
const ENTRY = /(\d+)\s+(\d+)\s+([nf])/y;

/** The classic xref section at `at` (the `xref` keyword) and the trailer dictionary after it. */
function readXrefSection(s: string, at: number): { entries: Map<number, XrefEntry>; trailer: Map<string, string> } {
  if (!/^xref\s/.test(s.slice(at, at + 5))) {
    fail(
      /^\d+\s+\d+\s+obj/.test(s.slice(at, at + 32))
        ? "cross-reference stream, not a classic xref table"
        : `no xref table at ${at}`,
    );
  }
  const entries = new Map<number, XrefEntry>();
  let i = skipSpace(s, at + 4);
  while (!s.startsWith("trailer", i)) {
    SUBSECTION.lastIndex = i;
    const head = SUBSECTION.exec(s) ?? fail(`bad xref subsection at ${i}`);
    const first = Number(head[1]);
    const count = Number(head[2]);
    i = SUBSECTION.lastIndex;
    for (let k = 0; k < count; k++) {
      ENTRY.lastIndex = skipSpace(s, i);
      const e = ENTRY.exec(s) ?? fail(`bad xref entry at ${i}`);
      entries.set(first + k, e[3] === "n" ? { offset: Number(e[1]), gen: Number(e[2]) } : null);
      i = ENTRY.lastIndex;
    }
    i = skipSpace(s, i);
  }
  return { entries, trailer: parseDict(s, skipSpace(s, i + "trailer".length)).entries };
}

/** How much of the file after an object's offset is read first: a catalog or Info dictionary is far smaller. */
const OBJECT_WINDOW = 16 * 1024;

/**
 * The dictionary of the object `ref` at `entry`'s offset; a stream or anything else throws. Read
 * from the file's first OBJECT_WINDOW bytes after the offset, and from the whole rest of the file
 * only if that fails: decoding the whole file as latin1 cost about 1.2 ms for a ten-page report, on
 * every render. The lexer reads left to right and looks past nothing it accepts, so a dictionary
 * and its `endobj` read whole from the window read the same from the file.
 */
function readObjectDict(pdf: Buffer, ref: Ref, entry: XrefEntry | undefined, what: string): Map<string, string> {
  if (!entry || entry.gen !== ref.gen) fail(`${what} ${ref.num} ${ref.gen} R is not in the xref table`);
  const from = entry.offset;
  if (from + OBJECT_WINDOW < pdf.length) {
    try {
      return objectDictAt(pdf.toString("latin1", from, from + OBJECT_WINDOW), ref, from, what);
    } catch (err) {
      if (!(err instanceof PdfStructureError)) throw err;
    }
  }
  return objectDictAt(pdf.toString("latin1", from), ref, from, what);
}

/**
 * `read()` on a part of the file that starts at byte `offset`: a PdfStructureError then says where, as
 * positions in its message count from there.
 */
function withOffset<T>(offset: number, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof PdfStructureError) fail(`${err.message} (in the part from byte ${offset})`);
    throw err;
  }
}

/** The dictionary of the object `ref` at the start of `s` (the file from byte `offset` on). */
function objectDictAt(s: string, ref: Ref, offset: number, what: string): Map<string, string> {
  return withOffset(offset, () => objectDictIn(s, ref, offset, what));
}

function objectDictIn(s: string, ref: Ref, offset: number, what: string): Map<string, string> {
  const head = /(\d+)\s+(\d+)\s+obj\b/y;
  const m = head.exec(s);
  if (!m || Number(m[1]) !== ref.num || Number(m[2]) !== ref.gen)
    fail(`${what} ${ref.num} ${ref.gen} R is not at offset ${offset}`);
  const dict = parseDict(s, skipSpace(s, head.lastIndex));
  if (!s.startsWith("endobj", skipSpace(s, dict.end))) fail(`${what} is not a plain dictionary object`);
  return dict.entries;
}

// --- Values.

/** A PDF text string as UTF-16BE with a byte-order mark, hex-encoded: safe for any Vietnamese text. */
export function pdfTextString(text: string): string {
  return `<FEFF${Buffer.from(text, "utf16le").swap16().toString("hex").toUpperCase()}>`;
}

/** A PDF date in UTC (§7.9.4): (D:YYYYMMDDHHmmSS+00'00'). */
export function pdfDate(date: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  const ymd = `${p(date.getUTCFullYear(), 4)}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}`;
  const hms = `${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}`;
  return `(D:${ymd}${hms}+00'00')`;
}

// --- The update.

/**
 * Returns `pdf` followed by an incremental update that sets `update`'s fields. Pure: `pdf` is not
 * modified.
 * @throws PdfStructureError when the file is not a structure this module understands (no header at
 *   byte 0, no classic xref table at the last startxref, encrypted, Info or catalog not a plain
 *   dictionary object); nothing has been written then.
 */
export function appendPdfInfo(pdf: Buffer, update: PdfInfoUpdate): Buffer {
  // Offsets in the xref table count from the header; Chromium puts it at byte 0.
  if (pdf.toString("latin1", 0, 5) !== "%PDF-") fail("no %PDF- header at byte 0");
  const tail =
    /startxref\s+(\d+)\s+%%EOF\s*$/.exec(pdf.toString("latin1", Math.max(0, pdf.length - 1024))) ??
    fail("no startxref … %%EOF at the end");
  const lastXref = Number(tail[1]);
  const { xref, trailer, size } = readXrefChain(pdf, lastXref);
  const rootRef = parseRef(trailer.get("/Root"), "/Root");
  const catalog = readObjectDict(pdf, rootRef, xref.get(rootRef.num), "catalog");
  if (catalog.get("/Type") !== "/Catalog") fail("/Root is not a /Catalog");
  // Rewrite the existing Info object; a file without one gets a new object number.
  const oldInfo = trailer.get("/Info");
  const infoRef = oldInfo === undefined ? { num: size, gen: 0 } : parseRef(oldInfo, "/Info");
  const info =
    oldInfo === undefined ? new Map<string, string>() : readObjectDict(pdf, infoRef, xref.get(infoRef.num), "Info");
  setInfo(info, update);
  setCatalog(catalog, update);
  const last = pdf[pdf.length - 1];
  const body = writeUpdate(pdf.length, last === 0x0a || last === 0x0d, {
    objects: [
      [infoRef, info],
      [rootRef, catalog],
    ],
    trailer: { size: Math.max(size, infoRef.num + 1), rootRef, infoRef, id: trailer.get("/ID"), prev: lastXref },
  });
  return Buffer.concat([pdf, Buffer.from(body, "latin1")]);
}

/**
 * Walks the xref sections newest first (via /Prev); the newest entry for an object wins. Returns
 * the merged table, the newest trailer and its /Size.
 */
function readXrefChain(pdf: Buffer, lastXref: number) {
  const xref = new Map<number, XrefEntry>();
  let trailer: Map<string, string> | undefined;
  const seen = new Set<number>();
  for (let at: number | undefined = lastXref; at !== undefined;) {
    if (seen.has(at) || at >= pdf.length) fail(`bad /Prev chain at ${at}`);
    seen.add(at);
    // The file from the section on (Chromium's one section is the last few kilobytes).
    const section: ReturnType<typeof readXrefSection> = withOffset(at, () =>
      readXrefSection(pdf.toString("latin1", at), 0),
    );
    trailer ??= section.trailer;
    for (const [num, entry] of section.entries) if (!xref.has(num)) xref.set(num, entry);
    const prev = section.trailer.get("/Prev");
    at = prev === undefined ? undefined : /^\d+$/.test(prev) ? Number(prev) : fail(`bad /Prev ${prev}`);
  }
  if (!trailer) fail("no trailer");
  if (trailer.has("/Encrypt")) fail("encrypted");
  // A hybrid file keeps some objects only in a cross-reference stream.
  if (trailer.has("/XRefStm")) fail("hybrid file with /XRefStm");
  const size = Number(trailer.get("/Size"));
  if (!Number.isInteger(size) || size < 1) fail(`bad /Size ${trailer.get("/Size")}`);
  return { xref, trailer, size };
}

/** Sets the Info entries `update` names; replaced entries keep their place, new ones are added at the end. */
function setInfo(info: Map<string, string>, update: PdfInfoUpdate): void {
  const put = (key: string, value: string | undefined) => {
    if (value !== undefined) info.set(key, value);
  };
  const text = (value: string | undefined) => (value === undefined ? undefined : pdfTextString(value));
  const date = (value: Date | undefined) => (value === undefined ? undefined : pdfDate(value));
  put("/Title", text(update.title));
  put("/Subject", text(update.subject));
  put("/Author", text(update.author));
  put("/Keywords", text(update.keywords));
  put("/Creator", text(update.creator));
  put("/Producer", text(update.producer));
  put("/CreationDate", date(update.creationDate));
  put("/ModDate", date(update.modDate));
}

/** Sets the catalog's /Lang and /ViewerPreferences /DisplayDocTitle. */
function setCatalog(catalog: Map<string, string>, update: PdfInfoUpdate): void {
  if (update.lang !== undefined) {
    if (!/^[A-Za-z0-9-]+$/.test(update.lang)) fail(`bad language tag ${update.lang}`);
    catalog.set("/Lang", `(${update.lang})`);
  }
  if (update.displayDocTitle !== undefined) {
    // Chromium writes an inline <</Type /ViewerPreferences /DisplayDocTitle true>>: keep its other
    // entries. An indirect one (never seen from Chromium) is replaced by an inline dictionary.
    const old = catalog.get("/ViewerPreferences");
    const prefs = old?.startsWith("<<") ? parseDict(old, 0).entries : new Map<string, string>();
    prefs.set("/DisplayDocTitle", String(update.displayDocTitle));
    catalog.set("/ViewerPreferences", writeDict(prefs));
  }
}

/** The update itself, all in latin1 so that string length = byte length: objects, xref section, trailer. */
function writeUpdate(
  length: number,
  endsWithNewline: boolean,
  u: {
    objects: ReadonlyArray<readonly [Ref, Map<string, string>]>;
    trailer: { size: number; rootRef: Ref; infoRef: Ref; id: string | undefined; prev: number };
  },
): string {
  let body = endsWithNewline ? "" : "\n";
  const written: Array<{ ref: Ref; offset: number }> = [];
  for (const [ref, dict] of u.objects) {
    written.push({ ref, offset: length + body.length });
    body += `${ref.num} ${ref.gen} obj\n${writeDict(dict)}\nendobj\n`;
  }
  const xrefAt = length + body.length;
  // One subsection per object; each entry exactly 20 bytes ("nnnnnnnnnn ggggg n \n").
  body += "xref\n";
  for (const { ref, offset } of written.sort((a, b) => a.ref.num - b.ref.num)) {
    body += `${ref.num} 1\n${String(offset).padStart(10, "0")} ${String(ref.gen).padStart(5, "0")} n \n`;
  }
  const t = u.trailer;
  body +=
    `trailer\n<</Size ${t.size}\n/Root ${t.rootRef.num} ${t.rootRef.gen} R\n/Info ` +
    `${t.infoRef.num} ${t.infoRef.gen} R\n` +
    (t.id === undefined ? "" : `/ID ${t.id}\n`) +
    `/Prev ${t.prev}>>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return body;
}
