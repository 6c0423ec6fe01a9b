/**
 * A load generator's HTTP/1.1 connection, as lean as wrk's or autocannon's: one keep-alive socket,
 * the request's bytes built once and written again and again, and of the answer only what decides
 * success (the status line, Content-Length or chunked framing, `Connection: close`). Node's
 * `http.request` costs about 0.4 ms of CPU per request on this machine's kind (an agent, a
 * ClientRequest, an IncomingMessage, header objects and streams per request); on two cores shared
 * with the server and PostgreSQL, that CPU was taken from what the benchmark measures.
 */
import net from "node:net";

export type RawRequest = { method: string; path: string; token: string; body?: unknown };

/** The request's bytes, as Node's client would send them (Host, Bearer token, JSON body). */
export function requestBytes(host: string, r: RawRequest): Buffer {
  const payload = r.body === undefined ? undefined : Buffer.from(JSON.stringify(r.body));
  const head =
    `${r.method} ${r.path} HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${r.token}\r\n` +
    `Accept: application/json\r\nConnection: keep-alive\r\n` +
    (payload ? `Content-Type: application/json\r\nContent-Length: ${payload.length}\r\n` : "") +
    "\r\n";
  return payload ? Buffer.concat([Buffer.from(head, "latin1"), payload]) : Buffer.from(head, "latin1");
}

type Answer = { status: number; head: string; body: Buffer };

/** One keep-alive connection that sends `bytes` and resolves with the answer, one request at a time. */
export class RawConnection {
  private socket: net.Socket | null = null;
  private buffer: Buffer = Buffer.alloc(0);
  private waiting: { resolve: (a: Answer) => void; reject: (e: Error) => void } | null = null;

  constructor(
    private readonly port: number,
    private readonly host: string,
  ) {}

  send(bytes: Buffer): Promise<Answer> {
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.buffer = Buffer.alloc(0);
      this.connected().write(bytes);
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = null;
  }

  private connected(): net.Socket {
    if (this.socket && !this.socket.destroyed) return this.socket;
    const socket = net.connect(this.port, this.host);
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    const fail = (err: Error) => {
      if (this.socket === socket) this.socket = null;
      const w = this.waiting;
      this.waiting = null;
      w?.reject(err);
    };
    socket.on("error", fail);
    socket.on("close", () => fail(new Error("connection closed before the answer")));
    this.socket = socket;
    return socket;
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const answer = parseAnswer(this.buffer);
    if (!answer) return;
    const w = this.waiting;
    this.waiting = null;
    this.buffer = Buffer.alloc(0);
    if (/^connection:\s*close/im.test(answer.head)) this.close();
    w?.resolve(answer);
  }
}

/** A whole answer at the start of `buf`, or null while it is incomplete. */
export function parseAnswer(buf: Buffer): Answer | null {
  const end = buf.indexOf("\r\n\r\n");
  if (end < 0) return null;
  const head = buf.toString("latin1", 0, end);
  const status = Number(head.slice(9, 12));
  const start = end + 4;
  const length = /^content-length:\s*(\d+)/im.exec(head);
  if (length) {
    const stop = start + Number(length[1]);
    return buf.length >= stop ? { status, head, body: buf.subarray(start, stop) } : null;
  }
  if (/^transfer-encoding:\s*chunked/im.test(head)) {
    const parts: Buffer[] = [];
    let at = start;
    for (;;) {
      const line = buf.indexOf("\r\n", at);
      if (line < 0) return null;
      const size = parseInt(buf.toString("latin1", at, line), 16);
      if (buf.length < line + 2 + size + 2) return null;
      if (size === 0) return { status, head, body: Buffer.concat(parts) };
      parts.push(buf.subarray(line + 2, line + 2 + size));
      at = line + 2 + size + 2;
    }
  }
  // No body (204, 304) or one that runs to the close: the benchmarks' requests get neither.
  return { status, head, body: buf.subarray(start) };
}
