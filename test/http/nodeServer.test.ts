/**
 * The server's requests and responses are born with the Express app's prototypes
 * (server/http/nodeServer.ts), so Express's per-request `Object.setPrototypeOf` changes nothing and
 * V8 does not keep every request through its young-generation collections. And everything Express
 * gives a request still works on them: JSON and form bodies, headers, errors, keep-alive.
 */
import { expect } from "chai";
import express from "express";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createHttpServer } from "../../server/http/nodeServer.js";

async function started(server: http.Server) {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function stop(server: http.Server) {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
}

describe("the Node server for the Express app", () => {
  const app = express();
  app.use(express.json());
  app.use(express.urlencoded({ extended: false }));
  app.get("/hello", (req, res) => void res.set("X-Seen", req.get("x-asked") ?? "").json({ hello: req.query.name }));
  app.post("/echo", (req, res) => void res.status(201).json({ body: req.body, ip: req.ip }));
  app.get("/fail", () => {
    throw new Error("boom");
  });
  app.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(500).json({ error: err.message });
  });
  const server = createHttpServer(app);
  /** The prototypes each request and response had when Node made them, before Express saw them. */
  const born: Array<[unknown, unknown]> = [];
  server.prependListener(
    "request",
    (req, res) => void born.push([Object.getPrototypeOf(req), Object.getPrototypeOf(res)]),
  );
  let url = "";
  before(async () => {
    url = await started(server);
  });
  after(() => stop(server));

  it("makes each request and response with the app's prototypes", async () => {
    born.length = 0;
    const res = await fetch(`${url}/hello?name=An`);
    expect(res.status).to.equal(200);
    expect(born).to.have.length(1);
    expect(born[0][0]).to.equal(app.request);
    expect(born[0][1]).to.equal(app.response);
  });

  it("a plain http.createServer(app) does not (what the test above tells apart)", async () => {
    const plain = http.createServer(app);
    const seen: unknown[] = [];
    plain.prependListener("request", (req) => void seen.push(Object.getPrototypeOf(req)));
    const plainUrl = await started(plain);
    try {
      await fetch(`${plainUrl}/hello`);
      expect(seen[0]).to.equal(http.IncomingMessage.prototype);
    } finally {
      await stop(plain);
    }
  });

  it("serves queries, headers, JSON and form bodies and errors as Express does", async () => {
    const hello = await fetch(`${url}/hello?name=B%C3%ACnh`, { headers: { "X-Asked": "yes" } });
    expect(await hello.json()).to.deep.equal({ hello: "Bình" });
    expect(hello.headers.get("x-seen")).to.equal("yes");
    const json = await fetch(`${url}/echo`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ a: [1, 2] }),
    });
    expect(json.status).to.equal(201);
    expect(await json.json()).to.deep.equal({ body: { a: [1, 2] }, ip: "127.0.0.1" });
    const form = await fetch(`${url}/echo`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "x=1&y=%C4%91",
    });
    expect((await form.json()).body).to.deep.equal({ x: "1", y: "đ" });
    const fail = await fetch(`${url}/fail`);
    expect(fail.status).to.equal(500);
    expect(await fail.json()).to.deep.equal({ error: "boom" });
  });

  it("answers many requests on one keep-alive connection", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<unknown>();
    try {
      for (let i = 0; i < 5; i++) {
        const body = await new Promise<string>((resolve, reject) => {
          const req = http.get(`${url}/hello?name=${i}`, { agent }, (res) => {
            sockets.add(res.socket);
            let text = "";
            res.on("data", (c: Buffer) => (text += c.toString()));
            res.on("end", () => resolve(text));
          });
          req.on("error", reject);
        });
        expect(JSON.parse(body)).to.deep.equal({ hello: String(i) });
      }
      expect(sockets.size).to.equal(1);
    } finally {
      agent.destroy();
    }
  });
});
