/**
 * The Node HTTP server for the Express app, with requests and responses born with the app's
 * prototypes (`app.request`, `app.response`).
 *
 * Express re-parents every request and response (`Object.setPrototypeOf(req, app.request)` in
 * `app.handle`). V8 then keeps each re-parented object, and everything it reaches (the middlewares'
 * closures, headers, buffers), through the next young-generation collections and promotes it to the
 * old generation. Measured on this machine's kind with a one-route Express app, 16 clients:
 * 3.6–3.8 MB promoted per scavenge and 4–15 ms pauses, against nothing promoted and ~1 ms pauses
 * when the objects already have the app's prototypes (Express's `setPrototypeOf` is then a no-op);
 * 5,244 → 13,778 requests/s. docs/BENCHMARKS.md, "Express's prototypes and the young generation".
 */
import http from "node:http";
import type { Express } from "express";

export function createHttpServer(app: Express): http.Server {
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
