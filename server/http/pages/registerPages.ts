/** Leadership's approvals inbox and the clerk's registers (with the quarterly activity report). */
import type { Request, Response } from "express";
import { authorizePage, mayUse } from "../../policies/pagePolicy.js";
import { issueActivityReport } from "../../commands/issueActivityReport.js";
import { listApprovals } from "../../queries/listApprovals.js";
import { listRegisters } from "../../queries/listRegisters.js";
import { presentApprovals } from "../../presenters/pages/presentApprovals.js";
import { presentRegisters } from "../../presenters/pages/presentRegisters.js";
import { actorOf, render, tr } from "./context.js";
import { bodyOf, get, post, str, type PageDeps } from "./pageRoute.js";
import { readRegisterCursors } from "./forms/readRegisterCursors.js";

async function showApprovals(deps: PageDeps, req: Request, res: Response) {
  const actor = actorOf(req);
  authorizePage(actor, "approvals");
  render(req, res, "approvals", presentApprovals(await listApprovals(deps.db, actor), tr(req)));
}

async function showRegisters(deps: PageDeps, req: Request, res: Response) {
  const actor = actorOf(req);
  authorizePage(actor, "registers");
  const year = Number(str(req.query.year)) || Number(deps.clock.now().toISOString().slice(0, 4));
  const from = readRegisterCursors(req.query);
  const registers = await listRegisters(deps.db, actor, year, from);
  const canIssueReport = mayUse(actor, "activityReport");
  render(req, res, "registers", presentRegisters({ year, registers, from, canIssueReport }, tr(req)));
}

async function issueReport(deps: PageDeps, req: Request, res: Response) {
  const b = bodyOf(req);
  const quarter = str(b.quarter) ? Number(str(b.quarter)) : undefined;
  await issueActivityReport(deps, { actor: actorOf(req), year: Number(str(b.year)), quarter });
  res.redirect(303, `/registers?year=${encodeURIComponent(str(b.year))}&done=activityReport.issued`);
}

/** The approvals and registers pages. */
export const registerPages = [
  get("/approvals", showApprovals),
  get("/registers", showRegisters),
  post("/registers/activity-report", issueReport),
];
