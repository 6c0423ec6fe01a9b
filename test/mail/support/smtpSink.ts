/**
 * A real SMTP server on 127.0.0.1 for mail tests (smtp-server): no TLS, no auth, keeps each
 * accepted message. A message counts as delivered when the server answers 250, so a message
 * whose connection died before that is, as on a real relay, not delivered. `hold()` stops
 * answering (messages wait, uncounted) until `release()` or the client goes away.
 */
import { SMTPServer } from "smtp-server";
import { simpleParser, type ParsedMail } from "mailparser";

export type Delivered = { messageId: string; raw: Buffer; to: string[] };

export async function startSmtpSink() {
  const delivered: Delivered[] = [];
  let held: Array<() => void> | null = null;
  const listeners: Array<() => void> = [];
  const server = new SMTPServer({
    disabledCommands: ["STARTTLS"],
    authOptional: true,
    logger: false,
    size: 30 * 1024 * 1024,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks);
        const head = raw.subarray(0, Math.max(0, raw.indexOf("\r\n\r\n"))).toString("latin1");
        const messageId = /^message-id:\s*(<[^>]+>)/im.exec(head)?.[1] ?? "";
        const accept = () => {
          delivered.push({ messageId, raw, to: session.envelope.rcptTo.map((r) => r.address) });
          callback();
          for (const l of listeners.splice(0)) l();
        };
        if (held) held.push(accept);
        else accept();
      });
    },
  });
  // A client that dies mid-session (a killed sender) resets its connection: not the server's failure.
  server.on("error", () => undefined);
  // Small SMTP replies otherwise wait on Nagle + delayed ACK (~40 ms a message on loopback).
  server.server.on("connection", (socket: import("node:net").Socket) => socket.setNoDelay(true));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as { port: number }).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}?ignoreTLS=true&maxConnections=5`,
    delivered,
    /** Deliveries per Message-ID. */
    counts() {
      const m = new Map<string, number>();
      for (const d of delivered) m.set(d.messageId, (m.get(d.messageId) ?? 0) + 1);
      return m;
    },
    parse(d: Delivered): Promise<ParsedMail> {
      return simpleParser(d.raw);
    },
    hold() {
      held = [];
    },
    /** Answers nothing to what is held: those messages are dropped, never counted. */
    dropHeld() {
      held = null;
    },
    /** Resolves once something more is delivered. */
    next(): Promise<void> {
      return new Promise((resolve) => listeners.push(resolve));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
