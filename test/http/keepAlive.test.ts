/**
 * Idle keep-alive connections: the server keeps them past a proxy's own idle limit
 * (HTTP_KEEP_ALIVE_TIMEOUT_MS, default 65 s), and closes them after it. Node's own 5 s made the server
 * close a connection just as a client sent on it ("socket hang up" in the mixed-load benchmark).
 */
import { expect } from "chai";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { DEFAULT_KEEP_ALIVE_TIMEOUT_MS, loadConfig } from "../../server/config.js";
import { startTvpb } from "../../server/server.js";
import { memoryMailer, serverTestConfig, silentLogger } from "../support/testApp.js";

/** One raw keep-alive connection: `get` sends a request, resolves with its status line; `closed`: hung up. */
function connection(port: number) {
  const socket = net.connect(port, "127.0.0.1");
  let buffered = "";
  let waiting: ((line: string) => void) | null = null;
  const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
  socket.setEncoding("latin1");
  socket.on("data", (chunk: string) => {
    buffered += chunk;
    const end = buffered.indexOf("\r\n\r\n");
    const length = /content-length: (\d+)/i.exec(buffered.slice(0, end))?.[1];
    if (end >= 0 && length !== undefined && buffered.length >= end + 4 + Number(length)) {
      const line = buffered.slice(0, buffered.indexOf("\r\n"));
      buffered = buffered.slice(end + 4 + Number(length));
      waiting?.(line);
    }
  });
  return {
    closed,
    isOpen: () => !socket.destroyed && socket.readyState === "open",
    get: (p: string) =>
      new Promise<string>((resolve) => {
        waiting = resolve;
        socket.write(`GET ${p} HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n`);
      }),
    end: () => socket.destroy(),
  };
}

describe("idle keep-alive connections", () => {
  it("live 65 s by default, longer than nginx's 60 s upstream idle limit", () => {
    const config = loadConfig({ NODE_ENV: "test", DATA_DIR: os.tmpdir() });
    expect(config.keepAliveTimeoutMs).to.equal(DEFAULT_KEEP_ALIVE_TIMEOUT_MS).and.to.be.greaterThan(60_000);
    expect(() => loadConfig({ NODE_ENV: "test", HTTP_KEEP_ALIVE_TIMEOUT_MS: "500" })).to.throw(
      /HTTP_KEEP_ALIVE_TIMEOUT_MS/,
    );
  });

  it("stay open while idle within HTTP_KEEP_ALIVE_TIMEOUT_MS, serving the next request, and are closed after it", async function () {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tvpb-keepalive-"));
    const config = serverTestConfig(dataDir, { HTTP_KEEP_ALIVE_TIMEOUT_MS: "2500" });
    const tvpb = await startTvpb({ config, mailer: memoryMailer(), logger: silentLogger, workers: false });
    try {
      expect(tvpb.server.keepAliveTimeout).to.equal(2500);
      expect(tvpb.server.headersTimeout).to.be.greaterThan(2500);
      const c = connection(tvpb.port);
      expect(await c.get("/healthz")).to.match(/^HTTP\/1\.1 200/);
      // Idle for about half the limit: still open, and it answers on the same connection.
      await new Promise((r) => setTimeout(r, 1200));
      expect(c.isOpen(), "open after 1.2 s idle").to.equal(true);
      expect(await c.get("/healthz")).to.match(/^HTTP\/1\.1 200/);
      const started = Date.now();
      await c.closed; // the server closes it once idle for 2.5 s
      expect(Date.now() - started, "closed by the server after the idle limit").to.be.within(2000, 15_000);
      c.end();
    } finally {
      await tvpb.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
