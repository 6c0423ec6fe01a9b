/**
 * On a V8 before 13 (Node 20, 22) the server's requests and responses are born with the Express app's
 * prototypes (server/http/nodeServer.ts), so Express's per-request `Object.setPrototypeOf` changes
 * nothing and V8 does not keep every request through its young-generation collections; on Node 24 they
 * are Node's own. Either way everything Express gives a request works: JSON and form bodies, headers,
 * errors, keep-alive.
 */
import { expect } from "chai";
import express from "express";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createHttpServer, reparentingIsCostly } from "../../server/http/nodeServer.js";

async function started(server: http.Server) {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function stop(server: http.Server) {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
}

for (const born of [true, false]) {
  describe(`the Node server for the Express app (${born ? "born with the app's prototypes" : "Node's own"})`, () => {
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
    const server = createHttpServer(app, { bornWithAppPrototypes: born });
    /** The prototypes each request and response had when Node made them, before Express saw them. */
    const seen: Array<[unknown, unknown]> = [];
    server.prependListener(
      "request",
      (req, res) => void seen.push([Object.getPrototypeOf(req), Object.getPrototypeOf(res)]),
    );
    let url = "";
    before(async () => {
      url = await started(server);
    });
    after(() => stop(server));

    it(born ? "makes each request and response with the app's prototypes" : "makes them with Node's", async () => {
      seen.length = 0;
      const res = await fetch(`${url}/hello?name=An`);
      expect(res.status).to.equal(200);
      expect(seen).to.have.length(1);
      expect(seen[0][0]).to.equal(born ? app.request : http.IncomingMessage.prototype);
      expect(seen[0][1]).to.equal(born ? app.response : http.ServerResponse.prototype);
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
}

describe("which V8 gets requests born with the app's prototypes", () => {
  it("the running one decides by default", async () => {
    const app = express();
    app.get("/", (_req, res) => void res.json({}));
    const server = createHttpServer(app);
    const seen: unknown[] = [];
    server.prependListener("request", (req) => void seen.push(Object.getPrototypeOf(req)));
    const url = await started(server);
    try {
      await fetch(url);
      expect(seen[0]).to.equal(reparentingIsCostly() ? app.request : http.IncomingMessage.prototype);
    } finally {
      await stop(server);
    }
  });

  it("those before 13 (Node 20: 11.3, Node 22: 12.4), not Node 24's 13.6", () => {
    expect(reparentingIsCostly("11.3.244.8-node.38")).to.equal(true);
    expect(reparentingIsCostly("12.4.254.21-node.57")).to.equal(true);
    expect(reparentingIsCostly("13.6.233.17-node.63")).to.equal(false);
  });
});
