/**
 * createApp(deps): builds the Express app. Nothing runs at import time; main.ts wires it.
 */
import express, { type Express, type NextFunction, type Request, type Response } from "express";
import helmet from "helmet";
import { randomUUID } from "node:crypto";
import { pinoHttp } from "pino-http";
import type { Logger } from "pino";
import type { Database, Db } from "./db/connect.js";
import type { Clock } from "./runtime/clock.js";
import { NotFoundError } from "./errors.js";
import { csrfProtection, identify, requireActor } from "./http/auth.js";
import { errorHandler } from "./http/errorHandler.js";
import { assignmentRoutes } from "./http/routes/assignments.js";
import { registryRoutes } from "./http/routes/registry.js";
import { authRoutes } from "./http/routes/authRoutes.js";
import { buildOpenApi } from "./http/openapi.js";
import { pageRoutes } from "./http/pages/index.js";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { documentRoutes, verifyRoutes } from "./http/routes/documents.js";
import { createDocumentService, type DocumentService } from "./documents/service.js";
import { linkRoutes } from "./http/routes/links.js";
import { mailLogRoutes, outboxRoutes } from "./http/routes/mail.js";
import { createLinkPages, LINK_PAGES_DIR } from "./mail/linkPages.js";

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
};

export function createApp(deps: AppDeps): Express {
  const app = express();
  const runtime = { db: deps.db, clock: deps.clock, onCommitted: deps.onCommitted };
  const documents = deps.documents ?? createDocumentService({ db: deps.db, renderer: null, publicUrl: deps.publicUrl, clock: deps.clock, unavailable: deps.documentsUnavailable?.() ?? undefined });
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  app.use((req, res, next) => {
    req.requestId = (req.headers["x-request-id"] as string | undefined)?.slice(0, 100) || randomUUID();
    res.setHeader("X-Request-Id", req.requestId);
    next();
  });
  app.use(pinoHttp({ logger: deps.logger, genReqId: (req) => (req as Request).requestId!, autoLogging: { ignore: (req) => req.url === "/healthz" } }));
  app.use(helmet({ contentSecurityPolicy: { directives: { "script-src": ["'self'"], "img-src": ["'self'", "data:"] } } }));

  app.get("/healthz", (_req, res) => void res.json({ status: "ok" }));
  app.get("/readyz", async (_req, res) => {
    try {
      if (deps.isReady && !deps.isReady()) return void res.status(503).json({ status: "starting_or_stopping" });
      await deps.database.query("select 1");
      res.json({ status: "ready", database: deps.database.kind, documents: deps.documentsUnavailable?.() ?? "ok" });
    } catch {
      res.status(503).json({ status: "database_unavailable" });
    }
  });

  app.get("/api/v1/openapi.json", (_req, res) => void res.json(buildOpenApi(deps.publicUrl)));
  app.get("/api/docs", (_req, res) => void res.type("html").send(API_DOCS_PAGE));
  app.get("/api/docs.js", (_req, res) => void res.type("js").send(API_DOCS_SCRIPT));

  const api = express.Router();
  api.use(express.json({ limit: "1mb" }));
  api.use(express.urlencoded({ extended: false, limit: "1mb" }));
  api.use(identify({ db: deps.db, clock: deps.clock }));
  api.use(csrfProtection);
  api.use(authRoutes({ ...runtime, secureCookies: deps.publicUrl.startsWith("https://") }));
  api.use(requireActor);
  api.use(assignmentRoutes(runtime));
  api.use(registryRoutes(runtime));
  api.use(documentRoutes({ ...runtime, documents }));
  api.use(mailLogRoutes(runtime));
  api.use((req: Request, _res: Response, next: NextFunction) => next(new NotFoundError("route_not_found", `Không có địa chỉ ${req.method} ${req.path}.`)));
  app.use("/api/v1", api);

  // Pages reached from e-mail links (no session) and the demo outbox: before the UI, which asks for a login.
  if (deps.mail) {
    const pages = createLinkPages(LINK_PAGES_DIR);
    app.use(linkRoutes({ ...runtime, linkSecret: deps.mail.linkSecret, secureCookies: deps.publicUrl.startsWith("https://"), pages }));
    if (deps.mail.outboxDir) app.use(outboxRoutes({ db: deps.db, clock: deps.clock, outboxDir: deps.mail.outboxDir, pages }));
  }
  // Public verification of issued documents (before the pages, which ask for a login).
  app.use(verifyRoutes({ db: deps.db }));
  // The web UI: static assets (no CDN) and the server-rendered pages.
  app.use("/static", express.static(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "public"), { maxAge: "1h", index: false }));
  app.use(pageRoutes({ ...runtime, documents, secureCookies: deps.publicUrl.startsWith("https://") }));

  app.use((req: Request, _res: Response, next: NextFunction) => next(new NotFoundError("route_not_found", `Không tìm thấy trang ${req.path}.`)));
  app.use(errorHandler(deps.logger));
  return app;
}

// A small page that renders the OpenAPI document (no CDN: the script is served from here).
const API_DOCS_PAGE = `<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>TVPB API</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}h1{font-size:1.6rem}.op{border:1px solid #ccd;border-radius:6px;margin:.6rem 0;padding:.5rem .8rem}.m{display:inline-block;min-width:4.5rem;font-weight:700;color:#fff;border-radius:4px;padding:.1rem .4rem;text-align:center;margin-right:.5rem}.get{background:#1d6fb8}.post{background:#237a3b}.put{background:#8a5a00}.patch{background:#6b3fa0}.delete{background:#a12828}pre{background:#f5f5f7;padding:.6rem;overflow:auto;font-size:.8rem}details summary{cursor:pointer}</style></head>
<body><h1>TVPB API <small>/api/v1</small></h1><p>Tài liệu sinh tự động từ <a href="/api/v1/openapi.json">openapi.json</a>. Xác thực: <code>Authorization: Bearer &lt;token&gt;</code> hoặc cookie phiên + <code>X-CSRF-Token</code>.</p><div id="ops">Đang tải…</div><script src="/api/docs.js"></script></body></html>`;

const API_DOCS_SCRIPT = `fetch('/api/v1/openapi.json').then(r=>r.json()).then(doc=>{const root=document.getElementById('ops');root.textContent='';
for(const [path,ops] of Object.entries(doc.paths)){for(const [method,op] of Object.entries(ops)){const d=document.createElement('details');d.className='op';const s=document.createElement('summary');
const m=document.createElement('span');m.className='m '+method;m.textContent=method.toUpperCase();s.append(m,document.createTextNode(path+' — '+(op.summary||'')));d.append(s);
if(op.requestBody){const pre=document.createElement('pre');pre.textContent=JSON.stringify(op.requestBody.content[Object.keys(op.requestBody.content)[0]].schema,null,2);d.append(pre);}
root.append(d);}}});`;
