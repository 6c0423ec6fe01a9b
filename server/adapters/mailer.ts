/**
 * The mail seam. `createMailer` sends through SMTP (a pooled Nodemailer transport) when an SMTP URL
 * is configured, and otherwise writes each message as an RFC 822 `.eml` file into an outbox folder
 * — for development, for a deployment without a relay yet, and for inspecting what went out.
 *
 * Delivery is at least once: the effect worker may call `send` again after a crash. The stable
 * Message-ID (`messageIdFor`) makes that visible to mail clients (they thread/deduplicate by it),
 * and in files mode the same Message-ID is written only once.
 */
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { link, mkdir, open, readdir, unlink, writeFile, access } from "node:fs/promises";
import path from "node:path";
import nodemailer from "nodemailer";
import type SMTPPool from "nodemailer/lib/smtp-pool/index.js";
import type SMTPTransport from "nodemailer/lib/smtp-transport/index.js";
import type Mail from "nodemailer/lib/mailer/index.js";
import { EffectError } from "../errors.js";
import { vietnamDateOf } from "../calendar/workingDays.js";

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
   * Whether this Message-ID was already accepted by the SMTP server, by a previous process too
   * (the acceptance journal; see `createMailer`). Files mode: always false (a second `send`
   * returns the existing file instead). Throws nothing.
   */
  wasAccepted?(messageId: string): boolean;
  /** Closes the SMTP pool (call once in-flight sends have settled). Throws nothing. */
  close(): Promise<void>;
};

/** The acceptance journal's file name under the outbox folder (SMTP mode). */
export const SMTP_JOURNAL = "smtp-accepted.log";

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
 * In SMTP mode every Message-ID the server accepted (250 after DATA) is appended to
 * `journalFile` (default `<outboxDir>/smtp-accepted.log`) and on disk (fdatasync) before `send`
 * resolves, so a process that dies between the server's acceptance and the database's "sent"
 * leaves a record that the next attempt finds through `wasAccepted` (server/effects/sendMail.ts).
 * Acceptances that arrive together share one append and one fdatasync (group commit; see
 * `createAcceptanceJournal`).
 * Throws TypeError for an unsupported URL scheme or a malformed URL.
 */
export function createMailer(options: {
  smtpUrl?: string;
  outboxDir: string;
  pool?: boolean;
  logger?: MailLogger;
  now?: () => Date;
  journalFile?: string;
}): Mailer {
  if (options.smtpUrl) {
    return smtpMailer(
      options.smtpUrl,
      options.pool ?? true,
      options.journalFile ?? path.join(options.outboxDir, SMTP_JOURNAL),
      options.logger,
    );
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

function toNodemailer(msg: OutgoingMail): Mail.Options {
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
    attachments: msg.attachments?.map((a) => ({
      filename: a.filename,
      content: a.content,
      contentType: a.contentType,
    })),
  };
}

function smtpMailer(smtpUrl: string, pool: boolean, journalFile: string, logger?: MailLogger): Mailer {
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
  const base: SMTPTransport.Options = {
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
  };
  // Pooled, connections stay open between messages (smtp-server and most relays greet slowly);
  // without pooling each send opens and closes its own connection.
  const poolOptions: SMTPPool.Options = { ...base, pool: true, maxConnections: num("maxConnections") ?? 3 };
  const transport: nodemailer.Transporter = pool
    ? nodemailer.createTransport(poolOptions)
    : nodemailer.createTransport(base);
  const journal = createAcceptanceJournal(journalFile);

  return {
    mode: "smtp",
    async send(msg) {
      checkMessage(msg);
      let info: { messageId: string; accepted: Array<string | Mail.Address>; rejected: Array<string | Mail.Address> };
      try {
        info = await transport.sendMail(toNodemailer(msg));
      } catch (err) {
        const classified = classifyMailError(err);
        logger?.warn(
          { messageId: msg.messageId, code: classified.code, permanent: classified.permanent, err: String(err) },
          "effect.mail.failed",
        );
        throw classified;
      }
      // Record the acceptance before `send` resolves, i.e. before the caller can record "sent":
      // the line is appended and fdatasynced (together with the other acceptances of the same
      // moment). A failure here is thrown (retryable): the message went out, and the retry will
      // find … nothing, so it may be sent twice; that is the honest outcome of a full disk.
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
      transport.close();
      await journal.close();
    },
  };
}

function filesMailer(outboxDir: string, logger: MailLogger | undefined, now: () => Date): Mailer {
  // Builds the exact RFC 822 bytes Nodemailer would send; CRLF line ends as on the wire.
  const builder = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "windows" });
  return {
    mode: "files",
    async send(msg) {
      checkMessage(msg);
      const accepted = [...msg.to, ...(msg.cc ?? [])].map((a) => a.address);
      const name = `${safeName(msg.messageId)}.eml`;
      const existing = await findExisting(outboxDir, name);
      if (existing) return { messageId: msg.messageId, accepted, rejected: [], file: existing };

      const info = await builder.sendMail(toNodemailer(msg));
      const dir = path.join(outboxDir, vietnamDateOf(now()));
      await mkdir(dir, { recursive: true });
      const file = path.join(dir, name);
      const tmp = path.join(dir, `.${name}.${randomBytes(6).toString("hex")}.tmp`);
      await writeFile(tmp, info.message as Buffer);
      try {
        // link() creates the name only if it does not exist yet: atomic, and a concurrent second
        // send of the same Message-ID finds EEXIST instead of overwriting the first file.
        await link(tmp, file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST")
          throw new EffectError(`Cannot write ${file}: ${String(err)}`, false, "mail_unavailable");
      } finally {
        await unlink(tmp).catch(() => undefined);
      }
      logger?.info({ messageId: msg.messageId, file }, "effect.mail.written");
      return { messageId: msg.messageId, accepted, rejected: [], file };
    },
    async close() {
      builder.close();
    },
  };
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

/** The acceptance journal of the SMTP mailer (exported for its tests). */
export type AcceptanceJournal = {
  /**
   * Appends `<messageId> <ISO time>` and resolves once the line is on disk (fdatasync). Records
   * made while an earlier group is being written, or in the same turn of the event loop, share
   * one append and one fdatasync. Rejects, for every record of its group, with the file system's
   * error (full disk, I/O error, unwritable folder).
   */
  record(messageId: string): Promise<void>;
  /** Whether the id is recorded: in memory, else in the file (lines of earlier processes too). Throws nothing. */
  has(messageId: string): boolean;
  /** Waits for pending records, then closes the file (a later `record` opens it again). */
  close(): Promise<void>;
};

/** The file operations the journal uses; tests substitute them to watch or fail the sync. */
export type JournalFile = {
  /** Appends the whole string (O_APPEND). */
  append(data: string): Promise<void>;
  /** fdatasync: the appended bytes and the new file size are on disk when it resolves. */
  datasync(): Promise<void>;
  close(): Promise<void>;
};

/** Opens (creating it and its folder) the journal file for appending. */
async function openJournalFile(file: string): Promise<JournalFile> {
  await mkdir(path.dirname(file), { recursive: true });
  const handle = await open(file, "a");
  return {
    append: (data) => handle.appendFile(data, "utf8"),
    datasync: () => handle.datasync(),
    close: () => handle.close(),
  };
}

/**
 * An append-only file of accepted Message-IDs, one per line, written with group commit: `record`
 * queues the line; one writer appends every queued line in one write and then fdatasyncs, and
 * resolves each `record` of that group only then. While it writes, new records queue up for the
 * next group, so under load one fdatasync covers many messages, and it runs on libuv's thread
 * pool instead of blocking the event loop. `has` reads the file again when the id is not in
 * memory, so another (earlier, crashed) process's lines count too.
 */
export function createAcceptanceJournal(
  file: string,
  options: { open?: (file: string) => Promise<JournalFile> } = {},
): AcceptanceJournal {
  const openFile = options.open ?? openJournalFile;
  const seen = new Set<string>();
  type Pending = { messageId: string; line: string; resolve: () => void; reject: (err: unknown) => void };
  let queue: Pending[] = [];
  let handle: Promise<JournalFile> | null = null;
  let writer: Promise<void> | null = null;
  // A failed append may have left part of a line behind: the next group then starts on a new line,
  // so that partial line cannot swallow the first id of the next group.
  let torn = false;

  const load = () => {
    try {
      for (const line of readFileSync(file, "utf8").split("\n")) if (line) seen.add(line.split(" ")[0]);
    } catch {
      // no journal yet
    }
  };

  async function writeGroups() {
    // Wait for the rest of this turn of the event loop: acceptances that arrive together share a group.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (queue.length) {
      const group = queue;
      queue = [];
      try {
        if (!handle) {
          handle = openFile(file);
          handle.catch(() => (handle = null));
        }
        const f = await handle;
        const data = (torn ? "\n" : "") + group.map((g) => g.line).join("");
        torn = true;
        await f.append(data);
        torn = false;
        await f.datasync();
        for (const g of group) seen.add(g.messageId);
        for (const g of group) g.resolve();
      } catch (err) {
        for (const g of group) g.reject(err);
      }
    }
  }

  function startWriter() {
    writer = writeGroups().finally(() => {
      writer = null;
      // A record queued after the last check of the loop and before this callback.
      if (queue.length) startWriter();
    });
  }

  return {
    record(messageId) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ messageId, line: `${messageId} ${new Date().toISOString()}\n`, resolve, reject });
        if (!writer) startWriter();
      });
    },
    has(messageId) {
      if (seen.has(messageId)) return true;
      load();
      return seen.has(messageId);
    },
    async close() {
      while (writer) await writer;
      const h = handle;
      handle = null;
      if (h) await (await h.catch(() => null))?.close();
    },
  };
}
