/**
 * createApp(deps): builds the Express app. Nothing runs at import time; main.ts wires it.
 */
import express, { type Express, type NextFunction, type Request, type Response } from "express";
import compression from "compression";
import helmet from "helmet";
import { randomUUID } from "node:crypto";
import { pinoHttp } from "pino-http";
import type { Logger } from "pino";
import type { Database, Db } from "./db/connect.js";
import { MovableClock, type Clock } from "./runtime/clock.js";
import { NotFoundError } from "./errors.js";
import { csrfProtection, identify, requireActor } from "./http/auth.js";
import { errorHandler } from "./http/errorHandler.js";
import { requestSerializers } from "./logger.js";
import { assignmentRoutes } from "./http/routes/assignments.js";
import { registryRoutes } from "./http/routes/registry.js";
import { annualPlanRoutes } from "./http/routes/annualPlans.js";
import { moneyRoutes } from "./http/routes/money.js";
import { authRoutes } from "./http/routes/authRoutes.js";
import { operatorRoutes } from "./http/routes/operator.js";
import { clockRoutes } from "./http/routes/clock.js";
import { buildOpenApi } from "./http/openapi.js";
import { pageRoutes } from "./http/pages/index.js";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { documentRoutes } from "./http/routes/documents.js";
import { verifyRoutes } from "./http/routes/verify.js";
import { signingRoutes } from "./http/routes/signing.js";
import { exportRoutes } from "./http/routes/export.js";
import { createDocumentService, type DocumentService } from "./documents/service.js";
import { linkRoutes } from "./http/routes/links.js";
import { mailLogRoutes, outboxRoutes } from "./http/routes/mail.js";
import { linkPages } from "./views/linkPages.js";
import { limitJsonDepth, rejectBadUrl, rejectControlCharactersInBody } from "./http/inputGuards.js";
import { createSignInThrottle, type SignInThrottle } from "./http/signInThrottle.js";
import { signingKeyWarnings } from "./queries/signingKeyWarnings.js";

const PUBLIC_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "public");

export type AppDeps = {
  db: Db;
  database: Database;
  clock: Clock;
  logger: Logger;
  publicUrl: string;
  /** Called after a transaction that may have queued effects or deadlines commits. */
  onCommitted?: () => void;
  /** Readiness: false while starting or shutting down. */
  isReady?: () => boolean;
  /** Why documents cannot be rendered (no browser), if so. */
  documentsUnavailable?: () => string | null;
  /** Issues, renders and serves official documents; without one, issued bytes and /verify still work. */
  documents?: DocumentService;
  /** Mail pages: the link flows (signed with `linkSecret`) and, in demo mode, the outbox folder. */
  mail?: { linkSecret: string; outboxDir?: string };
  /** The sign-in throttle of the API and the pages; default: one with the default policy on `clock`. */
  signInThrottle?: SignInThrottle;
  /**
   * Which proxies' X-Forwarded-For to believe (Express's "trust proxy": false, a hop count, or
   * addresses/CIDRs such as "loopback" or "10.0.0.1"); default false: the client is the socket's peer.
   */
  trustProxy?: boolean | number | string;
  /** The first-run page's one-time code (printed at start while the installation is empty). */
  setupCode?: string | null;
  /** Running in production (NODE_ENV): the demo's conveniences (switching accounts) are off. */
  production?: boolean;
};

/** Builds the app: request ids and logs, security headers, probes, the JSON API, the link pages, /verify, the UI. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  const runtime = { db: deps.db, clock: deps.clock, onCommitted: deps.onCommitted };
  const secureCookies = deps.publicUrl.startsWith("https://");
  const signInThrottle = deps.signInThrottle ?? createSignInThrottle({ clock: deps.clock });
  const documents =
    deps.documents ??
    createDocumentService({
      db: deps.db,
      renderer: null,
      publicUrl: deps.publicUrl,
      clock: deps.clock,
      unavailable: deps.documentsUnavailable?.() ?? undefined,
    });
  app.disable("x-powered-by");
  // X-Forwarded-For is believed only from the proxies TRUST_PROXY names (server/config.ts).
  app.set("trust proxy", deps.trustProxy ?? false);
  app.use(requestId);
  app.use(rejectBadUrl);
  app.use(requestLog(deps.logger));
  // gzip or brotli for text (pages, JSON, CSS, JS) over 1 KB; PDFs, images and workbooks are
  // already compressed and go as they are (compression's filter skips types that do not compress).
  app.use(compression({ threshold: 1024 }));
  app.use(
    securityHeaders({
      contentSecurityPolicy: { directives: { "script-src": ["'self'"], "img-src": ["'self'", "data:"] } },
    }),
  );
  app.get("/healthz", (_req, res) => void res.json({ status: "ok" }));
  // Outside production each request reads the installation's clock offset (another process may have moved it).
  if (deps.clock instanceof MovableClock && deps.clock.movable) app.use(syncClock(deps.clock));
  app.get("/readyz", readiness(deps));
  app.get("/api/v1/openapi.json", (_req, res) => void res.json(buildOpenApi(deps.publicUrl)));
  app.get("/api/docs", (_req, res) => void res.sendFile(path.join(PUBLIC_DIR, "api-docs.html")));
  app.use("/api/v1", apiRouter({ ...runtime, documents, secureCookies, signInThrottle }));
  // Pages reached from e-mail links (no session) and the demo outbox: before the UI, which asks for a login.
  if (deps.mail) app.use(mailPages({ ...runtime, secureCookies, ...deps.mail }));
  // Public verification of issued documents (before the pages, which ask for a login).
  app.use(verifyRoutes({ db: deps.db }));
  // The web UI: static assets (no CDN) and the server-rendered pages.
  app.use("/static", express.static(PUBLIC_DIR, { maxAge: "1h", index: false }));
  app.use(
    pageRoutes({
      ...runtime,
      documents,
      secureCookies,
      signInThrottle,
      setupCode: deps.setupCode,
      production: deps.production,
    }),
  );
  app.use((req: Request, _res: Response, next: NextFunction) =>
    next(new NotFoundError("route_not_found", `Không tìm thấy trang ${req.path}.`)),
  );
  app.use(errorHandler(deps.logger));
  return app;
}

/** Reads the installation's shared clock offset before the request is handled. */
function syncClock(clock: MovableClock) {
  return (_req: Request, _res: Response, next: NextFunction) => {
    // Most requests come within the last read's freshness: on at once, without a promise's round.
    if (clock.isFresh()) return next();
    clock.syncFresh().then(() => next(), next);
  };
}

type RuntimeParts = { db: Db; clock: Clock; onCommitted?: () => void };

/**
 * One log line per request (pino-http: method, scrubbed URL, address, user agent, status, time),
 * when the logger writes `info` lines at all; otherwise no per-request child logger is built (each
 * one serializes the request), and `req.log` is the process's logger for the errors handlers log.
 */
function requestLog(logger: Logger) {
  if (!logger.isLevelEnabled("info")) {
    return (req: Request, _res: Response, next: NextFunction) => {
      req.log = logger;
      next();
    };
  }
  return pinoHttp({
    logger,
    genReqId: (req) => (req as Request).requestId!,
    // Method, scrubbed URL, address and user agent: no Authorization, Cookie, Set-Cookie or CSRF header.
    serializers: requestSerializers,
    autoLogging: { ignore: (req) => req.url === "/healthz" },
  });
}

/**
 * Helmet's headers, computed once: helmet's middlewares run against a recorder at start, and each
 * request gets the same headers (none of them depends on the request with these options) without
 * a dozen middlewares' calls. The headers are exactly helmet's (test/http/securityHeaders.test.ts).
 */
export function securityHeaders(options: Parameters<typeof helmet>[0]) {
  const set: Array<[string, string]> = [];
  const removed: string[] = [];
  const recorder = {
    setHeader: (name: string, value: string) => void set.push([name, String(value)]),
    removeHeader: (name: string) => void removed.push(name),
  };
  helmet(options)({} as never, recorder as never, () => undefined);
  return (_req: Request, res: Response, next: NextFunction) => {
    for (const name of removed) res.removeHeader(name);
    for (const [name, value] of set) res.setHeader(name, value);
    next();
  };
}

/** Gives every request an id (the caller's X-Request-Id, else a new one) and echoes it. */
function requestId(req: Request, res: Response, next: NextFunction) {
  req.requestId = (req.headers["x-request-id"] as string | undefined)?.slice(0, 100) || randomUUID();
  res.setHeader("X-Request-Id", req.requestId);
  next();
}

/** GET /readyz: 200 when started and the database answers; 503 while starting, stopping or cut off. */
function readiness(deps: AppDeps) {
  return async (_req: Request, res: Response) => {
    try {
      if (deps.isReady && !deps.isReady()) return void res.status(503).json({ status: "starting_or_stopping" });
      await deps.database.query("select 1");
      // A warning, not a failure: signing keys that expire within 30 days (or have expired).
      const signingKeys = await signingKeyWarnings(deps.db, deps.clock.now());
      const documents = deps.documentsUnavailable?.() ?? "ok";
      res.json({ status: "ready", database: deps.database.kind, documents, signingKeys });
    } catch {
      res.status(503).json({ status: "database_unavailable" });
    }
  };
}

/** /api/v1: JSON bodies, the caller's identity and CSRF, log-in, then everything that needs an actor. */
function apiRouter(
  deps: RuntimeParts & { documents: DocumentService; secureCookies: boolean; signInThrottle: SignInThrottle },
) {
  const api = express.Router();
  api.use(express.json({ limit: "1mb", verify: limitJsonDepth }));
  api.use(express.urlencoded({ extended: false, limit: "1mb" }));
  api.use(rejectControlCharactersInBody);
  api.use(identify({ db: deps.db, clock: deps.clock }));
  api.use(csrfProtection);
  // Each under its own path: a request elsewhere (an event) skips them with one match, not a walk of their routes.
  api.use("/auth", authRoutes(deps));
  api.use("/operator", operatorRoutes(deps));
  api.use(requireActor);
  api.use(assignmentRoutes(deps));
  api.use(registryRoutes(deps));
  api.use(annualPlanRoutes(deps));
  api.use(moneyRoutes(deps));
  api.use(documentRoutes(deps));
  api.use(signingRoutes(deps));
  api.use(exportRoutes(deps));
  api.use(mailLogRoutes(deps));
  api.use(clockRoutes(deps));
  api.use((req: Request, _res: Response, next: NextFunction) =>
    next(new NotFoundError("route_not_found", `Không có địa chỉ ${req.method} ${req.path}.`)),
  );
  return api;
}

/** The link pages (answer an invitation, sign in once) and, in demo mode, the outbox pages. */
function mailPages(deps: RuntimeParts & { secureCookies: boolean; linkSecret: string; outboxDir?: string }) {
  const r = express.Router();
  const pages = linkPages;
  r.use(linkRoutes({ ...deps, pages }));
  if (deps.outboxDir) r.use(outboxRoutes({ db: deps.db, clock: deps.clock, outboxDir: deps.outboxDir, pages }));
  return r;
}
