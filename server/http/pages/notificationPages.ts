/**
 * Notifications (issue 14 §6): the header's short list on every page (loaded before the page's own
 * handler), the page with all of them, and "mark seen".
 */
import type { NextFunction, Request, Response } from "express";
import { loadNotifications } from "../../queries/loadNotifications.js";
import { markNotificationsSeen } from "../../commands/markNotificationsSeen.js";
import { presentNotifications } from "../../presenters/pages/presentNotifications.js";
import { actorOf, render, tr } from "./context.js";
import { get, post, type PageDeps } from "./pageRoute.js";

/** How many of each list the header shows. */
const IN_HEADER = 5;

/** Loads the header's notifications for a signed-in person's page (not for files or exports). */
export function headerNotifications(deps: PageDeps) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const page = req.method === "GET" && !/\.[a-z0-9]+$/i.test(req.path) && !req.path.startsWith("/lang/");
    if (!req.actor || req.actor.kind !== "user" || !page) return next();
    const n = await loadNotifications(deps.db, req.actor, { now: deps.clock.now(), limit: 20 });
    req.notifications = presentNotifications(n, tr(req), IN_HEADER);
    next();
  };
}

async function showNotifications(deps: PageDeps, req: Request, res: Response) {
  const n = await loadNotifications(deps.db, actorOf(req), { now: deps.clock.now(), limit: 100 });
  render(req, res, "notifications", presentNotifications(n, tr(req)));
}

async function markSeen(deps: PageDeps, req: Request, res: Response) {
  await markNotificationsSeen(deps, { actor: actorOf(req) });
  res.redirect(303, "/notifications?done=notifications.seen");
}

/** GET /notifications, POST /notifications/seen. */
export const notificationPages = [get("/notifications", showNotifications), post("/notifications/seen", markSeen)];
