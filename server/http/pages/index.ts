/**
 * The web UI: server-rendered pages for every role, mounted at the site root beside the JSON API.
 * Cookie sessions (server/http/auth.ts), the CSRF token as a form field on every form, the
 * log-in rate limiter, and the same commands the API calls. See README.md.
 */
import express, { Router, type NextFunction, type Request, type Response } from "express";
import { csrfProtection, identify } from "../auth.js";
import { assignmentListPages } from "./assignmentPages.js";
import { authPages, demoAccounts, signInPages } from "./authPages.js";
import { translate } from "../../words/catalogue.js";
import { chooseLocale, requirePageActor } from "./context.js";
import { dashboardPages } from "./dashboardPages.js";
import { documentSettingsPages } from "./documentSettingsPages.js";
import { expertPages } from "./expertPages.js";
import { exportPages } from "./exportPages.js";
import { invitationPages } from "./invitationPages.js";
import { opinionPages } from "./opinionPages.js";
import { organizationPages } from "./organizationPages.js";
import { rejectControlCharactersInBody } from "../inputGuards.js";
import { headerNotifications, notificationPages } from "./notificationPages.js";
import { bulkPages } from "./bulkPages.js";
import { previewPages } from "./previewPages.js";
import { mountPages, type PageDeps, type PageRoute } from "./pageRoute.js";
import { moneyPages } from "./moneyPages.js";
import { panelPages } from "./panelPages.js";
import { planPages } from "./planPages.js";
import { registerPages } from "./registerPages.js";
import { reportPages } from "./reportPages.js";
import { userPages } from "./userPages.js";
import { setupPages } from "./setupPages.js";
import { clockPages } from "./clockPages.js";
import { operatorPages } from "./operatorPages.js";
import { readClock } from "../../queries/readClock.js";

/** The paths the UI owns; anything else falls through to the routers mounted after it. */
const PAGE_PATHS = [
  "/assignments",
  "/queue",
  "/invitations",
  "/approvals",
  "/registers",
  "/admin",
  "/exports",
  "/notifications",
  "/plans",
  "/money",
];

/** Every page behind a sign-in, in the order they are matched. */
const PAGES: PageRoute[] = [
  ...dashboardPages,
  ...assignmentListPages,
  ...invitationPages,
  ...opinionPages,
  ...panelPages,
  ...reportPages,
  ...registerPages,
  ...planPages,
  ...moneyPages,
  ...userPages,
  ...expertPages,
  ...organizationPages,
  ...documentSettingsPages,
  ...clockPages,
  ...exportPages,
  ...notificationPages,
  ...bulkPages,
  ...previewPages,
];

function requireActorForUploads(req: Request, res: Response, next: NextFunction) {
  if (req.method === "POST" && (req.headers["content-type"] ?? "").startsWith("multipart/") && !req.actor)
    return void res.redirect(303, "/login");
  next();
}

/** In the demo, a demo account's pages offer the other demo accounts (the header's "switch role"). */
function offerDemoSwitch(deps: PageDeps) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    if (!req.actor || !req.session || req.method !== "GET") return next();
    const accounts = await demoAccounts(deps);
    if (!accounts.some((a) => a.userId === req.actor?.id)) return next();
    const locale = req.locale ?? "vi";
    req.demoSwitch = accounts
      .filter((a) => a.userId !== req.actor?.id)
      .map((a) => ({
        userId: a.userId,
        label: `${translate(locale, `role.${a.role}`)} · ${a.name}`,
        union: a.organizationName,
      }));
    next();
  };
}

/** The page router; mount it after the API and before the 404 handler. */
export function pageRoutes(deps: PageDeps) {
  const r = Router();
  r.use(identify({ db: deps.db, clock: deps.clock }));
  r.use(chooseLocale);
  r.use((req, _res, next) => {
    const clock = readClock(deps.clock);
    if (clock.simulated) req.simulatedNow = clock.now;
    next();
  });
  r.use(offerDemoSwitch(deps));
  r.get("/favicon.ico", (_req, res) => res.redirect(301, "/static/icon.svg"));
  // Multipart forms: multer parses them first, then they check their own CSRF token.
  r.use(requireActorForUploads);
  mountPages(
    r,
    deps,
    PAGES.filter((p) => p.upload),
  );
  r.use(express.urlencoded({ extended: true, limit: "1mb", parameterLimit: 2000 }));
  r.use(rejectControlCharactersInBody);
  r.use(csrfProtection);
  // The operator's pages check their own sign-in (the operator is in no Union).
  mountPages(r, deps, [...signInPages, ...setupPages, ...operatorPages]);
  r.use(authPages(deps));
  r.use(PAGE_PATHS, requirePageActor);
  r.use(headerNotifications(deps));
  mountPages(
    r,
    deps,
    PAGES.filter((p) => !p.upload),
  );
  return r;
}
