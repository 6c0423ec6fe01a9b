/**
 * The security headers computed once at start (server/app.ts `securityHeaders`) are exactly what
 * helmet's middlewares set on each request with the same options.
 */
import { expect } from "chai";
import express from "express";
import helmet from "helmet";
import request from "supertest";
import { securityHeaders } from "../../server/app.js";

const options = {
  contentSecurityPolicy: { directives: { "script-src": ["'self'"], "img-src": ["'self'", "data:"] } },
};

/** The response headers of GET / on an app with `middleware`, without those that vary by response. */
async function headersWith(middleware: express.RequestHandler) {
  const app = express();
  app.use(middleware);
  app.get("/", (_req, res) => void res.json({ ok: true }));
  const res = await request(app).get("/");
  const { date: _d, etag: _e, connection: _c, ...rest } = res.headers as Record<string, string>;
  return rest;
}

describe("security headers", () => {
  it("are helmet's, header for header, with the app's options", async () => {
    const ours = await headersWith(securityHeaders(options));
    expect(ours).to.deep.equal(await headersWith(helmet(options)));
    expect(ours["content-security-policy"]).to.contain("script-src 'self'");
    expect(ours["strict-transport-security"]).to.be.a("string");
    expect(ours).to.not.have.property("x-powered-by");
  });
});
