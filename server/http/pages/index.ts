/**
 * The web UI: server-rendered pages for every role, mounted at the site root beside the JSON API.
 * Cookie sessions (server/http/auth.ts), the CSRF token as a form field on every form, the
 * log-in rate limiter, and the same commands the API calls.
 */
import express, { Router } from "express";
import type { RuntimeDeps } from "../../runtime/applyEvent.js";
import { csrfProtection, identify } from "../auth.js";
import { authPages } from "./authPages.js";
import { assignmentPages, assignmentUploadPages } from "./assignmentPages.js";
import { chooseLocale, requirePageActor } from "./context.js";
import { dashboardPages } from "./dashboardPages.js";
import { workPages } from "./workPages.js";
import { adminPages, adminUploadPages } from "./adminPages.js";
import { documentSettingsPages, documentSettingsUploadPages } from "./documentSettingsPages.js";
import type { DocumentService } from "../../documents/service.js";

export type PageDeps = RuntimeDeps & { secureCookies: boolean; documents: DocumentService };

/** The paths the UI owns; anything else falls through to the routers mounted after it. */
const PAGE_PATHS = ["/assignments", "/queue", "/invitations", "/approvals", "/registers", "/admin"];

/** The page router; mount it after the API and before the 404 handler. */
export function pageRoutes(deps: PageDeps) {
  const r = Router();
  r.use(identify({ db: deps.db, clock: deps.clock }));
  r.use(chooseLocale);
  r.get("/favicon.ico", (_req, res) => res.redirect(301, "/static/icon.svg"));
  // Multipart forms: multer parses them first, then they check their own CSRF token.
  r.use(requireActorForUploads, assignmentUploadPages(deps), adminUploadPages(deps), documentSettingsUploadPages(deps));
  r.use(express.urlencoded({ extended: true, limit: "1mb", parameterLimit: 2000 }));
  r.use(csrfProtection);
  r.use(authPages(deps));
  r.use(PAGE_PATHS, requirePageActor);
  r.use(dashboardPages(deps));
  r.use(assignmentPages(deps));
  r.use(workPages(deps));
  r.use(adminPages(deps));
  r.use(documentSettingsPages(deps));
  return r;
}

function requireActorForUploads(req: express.Request, res: express.Response, next: express.NextFunction) {
  if (req.method === "POST" && (req.headers["content-type"] ?? "").startsWith("multipart/") && !req.actor)
    return void res.redirect(303, "/login");
  next();
}
