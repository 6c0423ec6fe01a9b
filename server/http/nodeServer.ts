/**
 * The Node HTTP server for the Express app. On the V8 of Node 20 and 22, its requests and responses
 * are born with the app's prototypes (`app.request`, `app.response`).
 *
 * Express re-parents every request and response (`Object.setPrototypeOf(req, app.request)` in
 * `app.handle`). V8 before 13 (Node 20: 11.3, Node 22: 12.4) then keeps each re-parented object, and
 * everything it reaches (the middlewares' closures, headers, buffers), through the next
 * young-generation collections and promotes it to the old generation. Measured on this machine's
 * kind with a one-route Express app, 16 clients: on Node 20, 3.6–3.8 MB promoted per scavenge and
 * 4–16 ms pauses, against nothing promoted and ~1 ms pauses when the objects already have the app's
 * prototypes (Express's `setPrototypeOf` is then a no-op); 5,244–6,784 → 13,778–17,604 requests/s,
 * and on Node 22 6,952–8,536 → 18,365–18,629. Node 24 (V8 13.6) has no such cost, and there the
 * constructors below are the slower way (15,699–22,342 against 12,105–16,398 requests/s), so it gets
 * Node's own. docs/BENCHMARKS.md, "Express's prototypes and the young generation".
 */
import http from "node:http";
import type { Express } from "express";

/** Whether this V8 keeps re-parented objects through its scavenges (before V8 13: Node 20 and 22). */
export const reparentingIsCostly = (v8Version: string = process.versions.v8) => Number(v8Version.split(".")[0]) < 13;

export function createHttpServer(app: Express, opts: { bornWithAppPrototypes?: boolean } = {}): http.Server {
  if (!(opts.bornWithAppPrototypes ?? reparentingIsCostly())) return http.createServer(app);
  // Node's own constructors, called on objects whose prototype chain is the app's: app.request
  // inherits from http.IncomingMessage.prototype and app.response from http.ServerResponse.prototype.
  function Request(this: http.IncomingMessage, socket: unknown) {
    (http.IncomingMessage as unknown as (this: unknown, socket: unknown) => void).call(this, socket);
  }
  Request.prototype = app.request;
  function Response(this: http.ServerResponse, req: unknown, options: unknown) {
    (http.ServerResponse as unknown as (this: unknown, req: unknown, options: unknown) => void).call(
      this,
      req,
      options,
    );
  }
  Response.prototype = app.response;
  return http.createServer(
    {
      IncomingMessage: Request as unknown as typeof http.IncomingMessage,
      ServerResponse: Response as unknown as typeof http.ServerResponse,
    },
    app,
  );
}
