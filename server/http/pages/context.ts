/**
 * What every page needs: the locale (cookie, else the user's own, else Vietnamese), the signed-in
 * user and their navigation, the CSRF token for forms, and `render`, which puts a page's view
 * model into the layout.
 */
import type { NextFunction, Request, Response } from "express";
import type { Actor } from "../../runtime/actor.js";
import type { WaitingRow } from "../../queries/loadNotifications.js";
import { translate, type Locale } from "../../words/catalogue.js";
import { presentNav } from "../../presenters/pages/presentNav.js";
import { renderView } from "../../views/viewEngine.js";

export const LANG_COOKIE = "tvpb_lang";

declare module "express-serve-static-core" {
  interface Request {
    locale?: Locale;
    /** The installation's time while its clock runs ahead of the real time (shown in the header). */
    simulatedNow?: Date;
    /** In the demo, for a demo account: the other demo accounts it may switch to (header control). */
    demoSwitch?: Array<{ userId: string; label: string; union: string }>;
    /**
     * Loads the header's notifications (what waits on me, what changed) for a signed-in person's
     * page; called by `render` only, so a file, export or JSON answer runs none of their queries.
     */
    loadHeader?: () => Promise<object>;
    /**
     * "What waits on me" as the page itself read it (the dashboard: the same list, by due date, longer):
     * the header takes its first rows instead of reading them again.
     */
    waitingOnMe?: WaitingRow[];
  }
}

function cookieOf(req: Request, name: string) {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return decodeURIComponent(v.join("="));
  }
  return undefined;
}

/** Sets req.locale. */
export function chooseLocale(req: Request, _res: Response, next: NextFunction) {
  const c = cookieOf(req, LANG_COOKIE);
  req.locale = c === "en" || c === "vi" ? c : (req.actor?.locale ?? "vi");
  next();
}

/** The signed-in actor (routes behind requirePageActor). */
export const actorOf = (req: Request) => req.actor as Actor;

/**
 * Renders `page` (templates/pages) with the layout model merged in; the title defaults to `title.<page>`.
 * The header's notifications are read here, only when a page is drawn; a failure goes to the error handler.
 */
export function render(req: Request, res: Response, page: string, model: object, status = 200): void {
  if (!req.actor || !req.loadHeader) return send(req, res, page, model, status, null);
  req
    .loadHeader()
    .then((notifications) => send(req, res, page, model, status, notifications))
    .catch((err: unknown) => req.next?.(err));
}

function send(req: Request, res: Response, page: string, model: object, status: number, notifications: object | null) {
  const locale = req.locale ?? "vi";
  const actor = req.actor;
  const own = (model as { title?: unknown }).title;
  const title = typeof own === "string" ? own : translate(locale, `title.${page}`);
  res.setHeader("Cache-Control", "no-store");
  res
    .status(status)
    .type("html")
    .send(
      renderView("pages", page, {
        ...model,
        title,
        locale,
        otherLocale: locale === "vi" ? "en" : "vi",
        here: req.originalUrl,
        csrf: req.session?.csrfToken ?? req.operatorSession?.csrfToken ?? "",
        user: actor ? { name: actor.name, roles: actor.roles } : null,
        operator: !actor && req.operator ? { name: req.operator.name, path: req.path } : null,
        nav: presentNav(actor, req.path),
        simulatedNow: req.simulatedNow ?? null,
        demoSwitch: actor && req.demoSwitch?.length ? req.demoSwitch : null,
        notifications: actor ? notifications : null,
        notice: typeof req.query.done === "string" ? req.query.done.slice(0, 60) : null,
      }),
    );
}

/** Redirects to the sign-in page when nobody is signed in. */
export function requirePageActor(req: Request, res: Response, next: NextFunction) {
  if (!req.actor) return void res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
  next();
}

/** Only a local path may be a redirect target. */
export function safeNext(v: unknown): string {
  return typeof v === "string" && v.startsWith("/") && !v.startsWith("//") && !v.startsWith("/\\") ? v : "/";
}

/** Translator in the request's locale, for presenters and messages. */
export const tr = (req: Request) => (key: string, vars?: Record<string, unknown>) =>
  translate(req.locale ?? "vi", key, vars);
