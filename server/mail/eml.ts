/**
 * Just enough MIME to show an `.eml` the files mailer wrote (Nodemailer output: UTF-8, base64 or
 * quoted-printable parts, multipart/mixed around multipart/alternative) on the demo outbox page.
 * Not a general mail parser: it never throws on odd input, it just finds less.
 */

export type ParsedEml = {
  headers: Record<string, string>;
  subject: string;
  from: string;
  to: string;
  date: string;
  messageId: string;
  text: string;
  html: string;
  attachments: Array<{ filename: string; contentType: string; size: number }>;
};

/** Parses the raw bytes of a message. */
export function parseEml(raw: Buffer): ParsedEml {
  const out: ParsedEml = {
    headers: {},
    subject: "",
    from: "",
    to: "",
    date: "",
    messageId: "",
    text: "",
    html: "",
    attachments: [],
  };
  const root = splitPart(raw.toString("latin1"));
  out.headers = root.headers;
  out.subject = decodeWords(root.headers.subject ?? "");
  out.from = decodeWords(root.headers.from ?? "");
  out.to = decodeWords(root.headers.to ?? "");
  out.date = root.headers.date ?? "";
  out.messageId = root.headers["message-id"] ?? "";
  walk(root, out, 0);
  return out;
}

type Part = { headers: Record<string, string>; body: string };

function splitPart(s: string): Part {
  const m = /\r?\n\r?\n/.exec(s);
  const head = m ? s.slice(0, m.index) : s;
  const body = m ? s.slice(m.index + m[0].length) : "";
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const i = line.indexOf(":");
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return { headers, body };
}

function param(header: string | undefined, name: string): string | undefined {
  const m = new RegExp(`${name}\\*?=(?:"([^"]*)"|([^;\\s]+))`, "i").exec(header ?? "");
  return m ? (m[1] ?? m[2]) : undefined;
}

function walk(part: Part, out: ParsedEml, depth: number) {
  if (depth > 5) return;
  const type = (part.headers["content-type"] ?? "text/plain").toLowerCase();
  if (type.startsWith("multipart/")) {
    const boundary = param(part.headers["content-type"], "boundary");
    if (!boundary) return;
    const pieces = part.body.split(`--${boundary}`).slice(1);
    for (const p of pieces) {
      if (p.startsWith("--")) break;
      walk(splitPart(p.replace(/^\r?\n/, "")), out, depth + 1);
    }
    return;
  }
  const bytes = decodeBody(part.body, (part.headers["content-transfer-encoding"] ?? "7bit").toLowerCase());
  const disposition = part.headers["content-disposition"] ?? "";
  const filename = param(disposition, "filename") ?? param(part.headers["content-type"], "name");
  if (/^attachment/i.test(disposition) || (filename && !type.startsWith("text/"))) {
    out.attachments.push({
      filename: decodeWords(filename ?? "attachment"),
      contentType: type.split(";")[0],
      size: bytes.length,
    });
  } else if (type.startsWith("text/html") && !out.html) {
    out.html = bytes.toString("utf8");
  } else if (type.startsWith("text/plain") && !out.text) {
    out.text = bytes.toString("utf8");
  }
}

function decodeBody(body: string, encoding: string): Buffer {
  if (encoding === "base64") return Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ""), "base64");
  if (encoding === "quoted-printable") {
    const s = body.replace(/=\r?\n/g, "");
    const bytes: number[] = [];
    for (let i = 0; i < s.length; i++) {
      if (s[i] === "=" && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
        bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
        i += 2;
      } else bytes.push(s.charCodeAt(i) & 0xff);
    }
    return Buffer.from(bytes);
  }
  return Buffer.from(body, "latin1");
}

/** Decodes RFC 2047 encoded words (=?UTF-8?B?…?= and =?UTF-8?Q?…?=); adjacent words join without the space. */
export function decodeWords(s: string): string {
  return s
    .replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?)/g, "$1")
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_m, _cs: string, enc: string, text: string) => {
      const buf =
        enc.toUpperCase() === "B"
          ? Buffer.from(text, "base64")
          : decodeBody(text.replace(/_/g, " "), "quoted-printable");
      return buf.toString("utf8");
    });
}
