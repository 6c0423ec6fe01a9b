/**
 * The Node HTTP server for the Express app. Express re-parents every request and response
 * (`Object.setPrototypeOf(req, app.request)` in `app.handle`); V8 before 13 (Node 20 and 22) then keeps
 * each re-parented object, and all it reaches, through its young-generation collections, which cost
 * a plain Express app more than half its throughput. There the requests and responses are born with
 * the app's prototypes, so Express's `setPrototypeOf` changes nothing; Node 24 (V8 13.6) has no such
 * cost, and Node's own classes are faster there. Measurements: docs/BENCHMARKS.md, "Express's
 * prototypes and the young generation".
 */
import http from "node:http";
import type { Express } from "express";
import { DEFAULT_KEEP_ALIVE_TIMEOUT_MS } from "../config.js";

/** Whether this V8 keeps re-parented objects through its scavenges (before V8 13: Node 20 and 22). */
export const reparentingIsCostly = (v8Version: string = process.versions.v8) => Number(v8Version.split(".")[0]) < 13;

/**
 * The server for `app`. Idle keep-alive connections live `keepAliveTimeoutMs` (default
 * DEFAULT_KEEP_ALIVE_TIMEOUT_MS): longer than the other side's own idle limit, so that the server never
 * closes a connection as a client or proxy sends on it; a request's headers may take as long.
 */
export function createHttpServer(
  app: Express,
  opts: { bornWithAppPrototypes?: boolean; keepAliveTimeoutMs?: number } = {},
): http.Server {
  const server = makeServer(app, opts.bornWithAppPrototypes ?? reparentingIsCostly());
  const keepAlive = opts.keepAliveTimeoutMs ?? DEFAULT_KEEP_ALIVE_TIMEOUT_MS;
  server.keepAliveTimeout = keepAlive;
  server.headersTimeout = keepAlive + 1000;
  return server;
}

function makeServer(app: Express, bornWithAppPrototypes: boolean): http.Server {
  if (!bornWithAppPrototypes) return http.createServer(app);
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
