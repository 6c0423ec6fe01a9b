/**
 * The mail seam. `createMailer` sends through SMTP (a pooled Nodemailer transport) when an SMTP URL
 * is configured, and otherwise writes each message as an RFC 822 `.eml` file into an outbox folder
 * — for development, for a deployment without a relay yet, and for inspecting what went out.
 *
 * Delivery is at least once: the effect worker may call `send` again after a crash. The stable
 * Message-ID (`messageIdFor`) makes that visible to mail clients (they thread/deduplicate by it),
 * in files mode the same Message-ID is written only once, and in SMTP mode every acceptance is in
 * the shared acceptance journal (./acceptanceJournal.ts) before `send` resolves.
 */
import { createHash, randomBytes } from "node:crypto";
import { link, mkdir, readdir, unlink, writeFile, access } from "node:fs/promises";
import path from "node:path";
import type { Transporter } from "nodemailer";
import type SMTPPool from "nodemailer/lib/smtp-pool/index.js";
import type SMTPTransport from "nodemailer/lib/smtp-transport/index.js";
import type Mail from "nodemailer/lib/mailer/index.js";
import type MimeNode from "nodemailer/lib/mime-node/index.js";
import { EffectError } from "../errors.js";
import { vietnamDateOf } from "../calendar/workingDays.js";
import type { AcceptanceJournal } from "./acceptanceJournal.js";

/** A mailbox: display name (may be Vietnamese, any Unicode) and address. */
export type MailAddress = { name: string; address: string };

/** One message, fully rendered. `messageId` comes from `messageIdFor` so retries keep it. */
export type OutgoingMail = {
  from: MailAddress;
  replyTo?: MailAddress;
  to: MailAddress[];
  cc?: MailAddress[];
  subject: string;
  html: string;
  text: string;
  attachments?: Array<{ filename: string; content: Buffer; contentType: string }>;
  /** '<hex@domain>' */
  messageId: string;
  headers?: Record<string, string>;
};

/** What happened to a message. In files mode every recipient counts as accepted. */
export type SendResult = { messageId: string; accepted: string[]; rejected: string[]; file?: string };

/** Sends mail. `close` drains and closes the SMTP pool; call it on shutdown. */
export type Mailer = {
  mode: "smtp" | "files";
  /**
   * Sends one message. Throws EffectError `mail_rejected` (permanent: 5xx, invalid address, every
   * recipient refused) or `mail_unavailable` (retryable: connection refused, timeout, 4xx, auth).
   * Some recipients refused while others accepted is not an error: see `rejected`.
   */
  send(msg: OutgoingMail): Promise<SendResult>;
  /**
   * Whether this Message-ID was already accepted by the SMTP server, by any process on the same
   * database (the acceptance journal). Files mode: always false (a second `send` returns the
   * existing file instead). Rejects only when the journal cannot be read.
   */
  wasAccepted?(messageId: string): Promise<boolean>;
  /** Closes the SMTP pool (call once in-flight sends have settled). Throws nothing. */
  close(): Promise<void>;
};

/** The few logger methods used (pino-compatible). */
export type MailLogger = {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
};

/**
 * Builds the mailer. With `smtpUrl` (smtp://user:pass@host:587 or smtps://host:465) it sends
 * through SMTP: smtps:// is TLS from the start; smtp:// upgrades with STARTTLS when the server
 * offers it. Query options: `ignoreTLS`, `requireTLS`, `rejectUnauthorized`, `maxConnections`,
 * `connectionTimeout`, `greetingTimeout`, `socketTimeout` (ms), `name` (EHLO name). Without
 * `smtpUrl`, files mode: `<outboxDir>/<YYYY-MM-DD Vietnam date>/<safe-name>.eml`.
 * `pool` (default true) keeps connections open between messages. `now` is for tests.
 *
 * SMTP mode needs `journal`: every Message-ID the server accepted is recorded there before `send`
 * resolves, so a process that dies between the server's acceptance and the database's "sent"
 * leaves a record that the next attempt — in any process — finds through `wasAccepted`
 * (server/effects/sendMail.ts). Use `createAcceptanceJournal(databaseAcceptanceStore(db))`.
 * Throws TypeError for an unsupported URL scheme, a malformed URL, or SMTP without a journal.
 */
export function createMailer(options: {
  smtpUrl?: string;
  outboxDir: string;
  pool?: boolean;
  logger?: MailLogger;
  now?: () => Date;
  journal?: AcceptanceJournal;
}): Mailer {
  if (options.smtpUrl) {
    if (!options.journal) throw new TypeError("An SMTP mailer needs an acceptance journal.");
    return smtpMailer(options.smtpUrl, options.pool ?? true, options.journal, options.logger);
  }
  return filesMailer(options.outboxDir, options.logger, options.now ?? (() => new Date()));
}

/**
 * A stable Message-ID for an idempotency key, so a retried message carries the same id:
 * `<32 hex chars of SHA-256(key)@domain>`. Throws TypeError for an empty key or a bad domain.
 */
export function messageIdFor(idempotencyKey: string, domain: string): string {
  if (!idempotencyKey) throw new TypeError("messageIdFor needs an idempotency key.");
  if (!/^[A-Za-z0-9.-]+$/.test(domain)) throw new TypeError(`Not a domain: ${domain}`);
  const hex = createHash("sha256").update(idempotencyKey, "utf8").digest("hex").slice(0, 32);
  return `<${hex}@${domain.toLowerCase()}>`;
}

/**
 * Whether an SMTP/Nodemailer failure is worth retrying, as an EffectError: 5xx replies and bad
 * addresses are permanent (`mail_rejected`); refused or dropped connections, timeouts, DNS and 4xx
 * replies are retryable (`mail_unavailable`). Authentication failures are retryable too even
 * though they are 5xx: they are our configuration's fault, not the message's, and the message
 * should go out once the credentials are fixed. Exported for the effect worker's tests.
 */
export function classifyMailError(err: unknown): EffectError {
  if (err instanceof EffectError) return err;
  const e = (err ?? {}) as { code?: string; responseCode?: number; message?: string; response?: string };
  const detail = e.response ?? e.message ?? String(err);
  if (e.code === "EAUTH") return new EffectError(`SMTP authentication failed: ${detail}`, false, "mail_unavailable");
  if (typeof e.responseCode === "number") {
    if (e.responseCode >= 500) return new EffectError(`Mail rejected: ${detail}`, true, "mail_rejected");
    return new EffectError(`Mail temporarily refused: ${detail}`, false, "mail_unavailable");
  }
  // An envelope error without a server reply is Nodemailer refusing an address itself.
  if (e.code === "EENVELOPE") return new EffectError(`Invalid envelope: ${detail}`, true, "mail_rejected");
  return new EffectError(`Mail server unavailable: ${detail}`, false, "mail_unavailable");
}

// Deliberately plain: one @, no spaces, control characters, angle brackets or commas, a dotted or
// bracketed domain. Internationalised local parts are allowed (SMTPUTF8 servers accept them).
const ADDRESS_RE =
  /^[^\s@<>(),;:"\\\u0000-\u001f\u007f]+@(?:[A-Za-z0-9\u00a0-\uffff-]+\.)+[A-Za-z0-9\u00a0-\uffff-]{2,}$/;

function checkMessage(msg: OutgoingMail): void {
  const all = [msg.from, ...(msg.replyTo ? [msg.replyTo] : []), ...msg.to, ...(msg.cc ?? [])];
  for (const a of all) {
    if (!a || typeof a.address !== "string" || !ADDRESS_RE.test(a.address) || /[\r\n]/.test(a.name ?? "")) {
      throw new EffectError(`Invalid e-mail address: ${JSON.stringify(a?.address)}`, true, "mail_rejected");
    }
  }
  if (msg.to.length === 0) throw new EffectError("A message needs at least one recipient.", true, "mail_rejected");
  if (!/^<[^<>\s@]+@[^<>\s@]+>$/.test(msg.messageId)) {
    throw new EffectError(`Invalid Message-ID: ${msg.messageId}`, true, "mail_rejected");
  }
  if (/[\r\n]/.test(msg.subject)) throw new EffectError("A subject must be a single line.", true, "mail_rejected");
}

type Nodemailer = {
  createTransport: (options: SMTPPool.Options | SMTPTransport.Options | object) => Transporter;
  MimeNode: typeof MimeNode;
};
let nodemailerLoaded: Promise<Nodemailer> | undefined;

/** Nodemailer, loaded when the first message goes out rather than at every start (docs/BENCHMARKS.md). */
function loadNodemailer(): Promise<Nodemailer> {
  nodemailerLoaded ??= Promise.all([import("nodemailer"), import("nodemailer/lib/mime-node/index.js")]).then(
    ([nodemailer, mimeNode]) => ({ createTransport: nodemailer.default.createTransport, MimeNode: mimeNode.default }),
  );
  return nodemailerLoaded;
}

/** A transport made on first use; `close` closes it only if it was made. */
function lazyTransport(options: SMTPPool.Options | SMTPTransport.Options | object) {
  let made: Promise<{ transport: Transporter; nm: Nodemailer }> | undefined;
  return {
    get: () => (made ??= loadNodemailer().then((nm) => ({ transport: nm.createTransport(options), nm }))),
    close: async () => (await made)?.transport.close(),
  };
}

function toNodemailer(msg: OutgoingMail, nm: Nodemailer): Mail.Options {
  return {
    from: msg.from,
    replyTo: msg.replyTo,
    to: msg.to,
    cc: msg.cc,
    subject: msg.subject,
    html: msg.html,
    text: msg.text,
    messageId: msg.messageId,
    headers: msg.headers,
    // Base64 for non-ASCII bodies is the most robust against relays that mangle 8-bit mail.
    textEncoding: "base64",
    // An empty file keeps Nodemailer's own form (it writes such a part without a transfer encoding).
    attachments: msg.attachments?.map((a) => (a.content.length ? { raw: attachmentPart(a, nm.MimeNode) } : { ...a })),
  };
}

/**
 * One attachment as the finished MIME part (headers, blank line, base64 body), which Nodemailer
 * sends as it is. The headers are Nodemailer's own (built by its MimeNode exactly as its composer
 * does for an attachment); the body is the same base64 in lines of 76 characters, encoded here in
 * 57-byte slices with Buffer's native codec. Nodemailer's own encoder wraps the whole base64 text
 * with a regular expression: for a 224 KiB PDF that cost more CPU than everything else the mail
 * effect does for the message (issue 15 §3, branch doc7).
 */
function attachmentPart(
  a: { filename: string; content: Buffer; contentType: string },
  MimeNode: Nodemailer["MimeNode"],
): Buffer {
  const node = new MimeNode("multipart/mixed").createChild(a.contentType, { filename: a.filename });
  node.setHeader("Content-Transfer-Encoding", "base64");
  node.setHeader("Content-Disposition", "attachment");
  const head = Buffer.from(`${node.buildHeaders()}\r\n\r\n`, "utf8");
  const bytes = a.content;
  const out = Buffer.allocUnsafe(head.length + Math.ceil(bytes.length / 57) * 78);
  let at = head.copy(out, 0);
  // As Nodemailer's encoder: every full line of 76 characters ends with CRLF, a shorter last one does not.
  for (let p = 0; p < bytes.length; p += 57) {
    const end = Math.min(p + 57, bytes.length);
    at += out.write(bytes.toString("base64", p, end), at, "latin1");
    if (end - p === 57) at += out.write("\r\n", at, "latin1");
  }
  return out.subarray(0, at);
}

/** Nodemailer's transport options from an smtp:// or smtps:// URL. Throws TypeError for another or a bad URL. */
function smtpOptions(smtpUrl: string): SMTPTransport.Options & { maxConnections: number } {
  let url: URL;
  try {
    url = new URL(smtpUrl);
  } catch {
    throw new TypeError("SMTP URL is not a valid URL.");
  }
  if (url.protocol !== "smtp:" && url.protocol !== "smtps:")
    throw new TypeError(`Unsupported mail URL scheme: ${url.protocol}`);
  const secure = url.protocol === "smtps:";
  const q = url.searchParams;
  const bool = (k: string) => (q.has(k) ? ["1", "true", "yes"].includes((q.get(k) ?? "").toLowerCase()) : undefined);
  const num = (k: string) => (q.has(k) ? Number(q.get(k)) : undefined);
  return {
    host: url.hostname.replace(/^\[|\]$/g, ""),
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    ignoreTLS: bool("ignoreTLS"),
    requireTLS: bool("requireTLS"),
    name: q.get("name") ?? undefined,
    connectionTimeout: num("connectionTimeout") ?? 15_000,
    greetingTimeout: num("greetingTimeout") ?? 15_000,
    socketTimeout: num("socketTimeout") ?? 60_000,
    tls: bool("rejectUnauthorized") === false ? { rejectUnauthorized: false } : undefined,
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    maxConnections: num("maxConnections") ?? 3,
  };
}

function smtpMailer(smtpUrl: string, pool: boolean, journal: AcceptanceJournal, logger?: MailLogger): Mailer {
  const { maxConnections, ...base } = smtpOptions(smtpUrl);
  // Pooled, connections stay open between messages (smtp-server and most relays greet slowly);
  // without pooling each send opens and closes its own connection.
  const poolOptions: SMTPPool.Options = { ...base, pool: true, maxConnections };
  const transport = lazyTransport(pool ? poolOptions : base);
  return {
    mode: "smtp",
    async send(msg) {
      checkMessage(msg);
      let info: { messageId: string; accepted: Array<string | Mail.Address>; rejected: Array<string | Mail.Address> };
      try {
        const { transport: t, nm } = await transport.get();
        info = await t.sendMail(toNodemailer(msg, nm));
      } catch (err) {
        const classified = classifyMailError(err);
        logger?.warn(
          { messageId: msg.messageId, code: classified.code, permanent: classified.permanent, err: String(err) },
          "effect.mail.failed",
        );
        throw classified;
      }
      // Record the acceptance before `send` resolves, i.e. before the caller can record "sent". A
      // failure here is thrown (retryable): the message went out, and a retry will find nothing, so
      // it may be sent twice; that is the honest outcome of a database away for longer than we retry.
      await journal.record(msg.messageId);
      const result = {
        messageId: info.messageId || msg.messageId,
        accepted: info.accepted.map(addressOf),
        rejected: info.rejected.map(addressOf),
      };
      logger?.info(
        { messageId: result.messageId, accepted: result.accepted.length, rejected: result.rejected },
        "effect.mail.sent",
      );
      return result;
    },
    wasAccepted: (messageId) => journal.has(messageId),
    async close() {
      await transport.close();
      await journal.close();
    },
  };
}

function filesMailer(outboxDir: string, logger: MailLogger | undefined, now: () => Date): Mailer {
  // Builds the exact RFC 822 bytes Nodemailer would send; CRLF line ends as on the wire.
  const builder = lazyTransport({ streamTransport: true, buffer: true, newline: "windows" });
  return {
    mode: "files",
    async send(msg) {
      checkMessage(msg);
      const accepted = [...msg.to, ...(msg.cc ?? [])].map((a) => a.address);
      const name = `${safeName(msg.messageId)}.eml`;
      const existing = await findExisting(outboxDir, name);
      if (existing) return { messageId: msg.messageId, accepted, rejected: [], file: existing };
      const { transport, nm } = await builder.get();
      const info = await transport.sendMail(toNodemailer(msg, nm));
      const file = await writeOnce(path.join(outboxDir, vietnamDateOf(now())), name, info.message as Buffer);
      logger?.info({ messageId: msg.messageId, file }, "effect.mail.written");
      return { messageId: msg.messageId, accepted, rejected: [], file };
    },
    async close() {
      await builder.close();
    },
  };
}

/**
 * Writes `bytes` as `dir/name` unless that name exists: into a temporary file first, then link()
 * (atomic; a concurrent second write of the same name finds EEXIST instead of overwriting). The
 * temporary file is removed on every path, also when the write itself fails (a full disk).
 * Throws EffectError `mail_unavailable` (retryable) when the folder or the file cannot be written.
 */
async function writeOnce(dir: string, name: string, bytes: Buffer): Promise<string> {
  const file = path.join(dir, name);
  const tmp = path.join(dir, `.${name}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(tmp, bytes);
    await link(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST")
      throw new EffectError(`Cannot write ${file}: ${String(err)}`, false, "mail_unavailable");
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
  return file;
}

/** A file name from a Message-ID: readable part plus a short hash, so distinct ids never collide. */
function safeName(messageId: string): string {
  const readable = messageId
    .replace(/^<|>$/g, "")
    .replace(/[^A-Za-z0-9._-]+/g, "_")
    .slice(0, 100);
  const hash = createHash("sha256").update(messageId).digest("hex").slice(0, 8);
  return `${readable}.${hash}`;
}

/** The file already written for this name on any day (a retry may come after midnight). */
async function findExisting(outboxDir: string, name: string): Promise<string | undefined> {
  let days: string[];
  try {
    days = await readdir(outboxDir);
  } catch {
    return undefined;
  }
  for (const day of days.filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d))) {
    const candidate = path.join(outboxDir, day, name);
    try {
      await access(candidate);
      return candidate;
    } catch {
      // not on this day
    }
  }
  return undefined;
}

function addressOf(a: string | Mail.Address): string {
  return typeof a === "string" ? a : a.address;
}
