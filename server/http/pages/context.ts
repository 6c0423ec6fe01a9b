/**
 * What every page needs: the locale (cookie, else the user's own, else Vietnamese), the signed-in
 * user and their navigation, the CSRF token for forms, and a helper to render a page.
 */
import type { NextFunction, Request, Response } from "express";
import type { Actor, Role } from "../../runtime/actor.js";
import { renderPage, translate, type Locale } from "./view.js";

export const LANG_COOKIE = "tvpb_lang";

declare module "express-serve-static-core" {
  interface Request {
    locale?: Locale;
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

type NavItem = { href: string; key: string; roles: Role[] | "all" };
const NAV: NavItem[] = [
  { href: "/", key: "nav.dashboard", roles: "all" },
  {
    href: "/assignments",
    key: "nav.assignments",
    roles: ["agency", "secretariat", "leadership", "clerk", "admin", "expert"],
  },
  { href: "/queue", key: "nav.queue", roles: ["secretariat", "leadership", "clerk"] },
  { href: "/assignments/new", key: "nav.newOrder", roles: ["agency", "secretariat"] },
  { href: "/invitations", key: "nav.invitations", roles: ["expert"] },
  { href: "/approvals", key: "nav.approvals", roles: ["leadership"] },
  { href: "/registers", key: "nav.registers", roles: ["clerk", "secretariat", "leadership"] },
  { href: "/admin/users", key: "nav.users", roles: ["admin"] },
  { href: "/admin/experts", key: "nav.experts", roles: ["admin", "secretariat"] },
  { href: "/admin/associations", key: "nav.associations", roles: ["admin"] },
  { href: "/admin/settings", key: "nav.settings", roles: ["admin"] },
  { href: "/admin/documents", key: "nav.documentSettings", roles: ["admin"] },
];

/** The signed-in actor (routes behind requirePageActor). */
export const actorOf = (req: Request) => req.actor as Actor;

/** The navigation the actor sees, with the current item marked. */
export function navFor(actor: Actor | undefined, path: string) {
  if (!actor) return [];
  const items = NAV.filter((n) => n.roles === "all" || n.roles.some((r) => actor.roles.includes(r)));
  const current = items
    .filter((n) => (n.href === "/" ? path === "/" : path === n.href || path.startsWith(n.href + "/")))
    .sort((a, b) => b.href.length - a.href.length)[0];
  return items.map((n) => ({ ...n, current: n === current }));
}

/** Renders `page` with the layout model merged in. */
export function render(req: Request, res: Response, page: string, model: Record<string, unknown>, status = 200) {
  const locale = req.locale ?? "vi";
  const actor = req.actor;
  const title = typeof model.title === "string" ? model.title : translate(locale, `title.${page}`);
  res.setHeader("Cache-Control", "no-store");
  res
    .status(status)
    .type("html")
    .send(
      renderPage(page, {
        ...model,
        title,
        locale,
        otherLocale: locale === "vi" ? "en" : "vi",
        here: req.originalUrl,
        csrf: req.session?.csrfToken ?? "",
        user: actor ? { name: actor.name, roles: actor.roles } : null,
        nav: navFor(actor, req.path),
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

/** Translator for code (the request's locale). */
export const tr = (req: Request) => (key: string, vars?: Record<string, unknown>) =>
  translate(req.locale ?? "vi", key, vars);
