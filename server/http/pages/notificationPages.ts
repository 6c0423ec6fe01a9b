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

/**
 * Arms the header's notifications for a signed-in person's GET: `render` reads them when it draws a
 * page, so a file, an export, a JSON answer or a redirect runs none of their queries.
 */
export function headerNotifications(deps: PageDeps) {
  return (req: Request, _res: Response, next: NextFunction) => {
    const actor = req.actor;
    if (!actor || actor.kind !== "user" || req.method !== "GET") return next();
    req.loadHeader = async () => {
      const waitingRows = req.waitingOnMe;
      const n = await loadNotifications(deps.db, actor, { now: deps.clock.now(), limit: 20, waitingRows });
      return presentNotifications(n, tr(req), IN_HEADER);
    };
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
