/**
 * The dashboard: "việc của tôi" (what waits on me, with due dates and overdue marks) for every
 * role, and for the Union's staff the charts (see presentDashboardCharts).
 */
import type { Request, Response } from "express";
import { mayUse, statesWaitingOn } from "../../policies/pagePolicy.js";
import { listExpertWork } from "../../queries/listExpertWork.js";
import { loadDashboardFigures } from "../../queries/loadDashboardFigures.js";
import { listLatePlanItems } from "../../queries/listLatePlanItems.js";
import { loadDashboardPlan } from "../../queries/loadDashboardPlan.js";
import { presentDashboard } from "../../presenters/pages/presentDashboard.js";
import { actorOf, render, tr } from "./context.js";
import { get, type PageDeps } from "./pageRoute.js";
import { listAssignments } from "./queries.js";

async function showDashboard(deps: PageDeps, req: Request, res: Response) {
  if (!req.actor) return void res.redirect(303, "/login");
  const actor = actorOf(req);
  const now = deps.clock.now();
  const mine = statesWaitingOn(actor);
  const waiting = mine.length
    ? await listAssignments(deps.db, actor, now, { waitingOn: mine, order: "due", limit: 50, count: false })
    : { rows: [] };
  if (mine.length) req.waitingOnMe = waiting.rows; // the header shows the first of the same list
  const expertWork = actor.expertId ? await listExpertWork(deps.db, actor) : null;
  const figures = mayUse(actor, "dashboardCharts") ? await loadDashboardFigures(deps.db, actor, now) : null;
  const latePlanItems = await listLatePlanItems(deps.db, actor, now);
  const plan = figures ? await loadDashboardPlan(deps.db, actor, now) : null;
  const input = { waiting: waiting.rows, expertWork, figures, latePlanItems, plan };
  render(req, res, "dashboard", presentDashboard(input, tr(req), now));
}

/** The dashboard's route. */
export const dashboardPages = [get("/", showDashboard)];
