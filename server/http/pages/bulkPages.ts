/**
 * Bulk actions (issue 14 §6): the secretariat reminds several late experts at once; leadership moves
 * several assignments to another secretariat member. Each goes through a command (the same checks
 * and history as one at a time), behind the CSRF check and the page's role.
 */
import type { Request, Response } from "express";
import { authorizePage } from "../../policies/pagePolicy.js";
import { listLateExperts } from "../../queries/listLateExperts.js";
import { listStaffWork } from "../../queries/listStaffWork.js";
import { remindLateExperts } from "../../commands/remindLateExperts.js";
import { reassignWork } from "../../commands/reassignWork.js";
import { presentLateExperts, presentReassign } from "../../presenters/pages/presentBulk.js";
import { actorOf, render, tr } from "./context.js";
import { bodyOf, get, post, str, type PageDeps } from "./pageRoute.js";

const UUID = /^[0-9a-f-]{36}$/;

/** The checked boxes named `name` (one value or several). */
const checked = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(String);

/** `?done=3&refused=1` after a bulk action. */
const resultIn = (q: Request["query"]) =>
  q.done === "bulk" ? { done: Number(str(q.n)) || 0, refused: Number(str(q.refused)) || 0 } : null;

async function showLate(deps: PageDeps, req: Request, res: Response) {
  const actor = actorOf(req);
  authorizePage(actor, "remindLate");
  const rows = await listLateExperts(deps.db, actor, deps.clock.now());
  render(req, res, "lateExperts", presentLateExperts(rows, tr(req), resultIn(req.query)));
}

async function remindLate(deps: PageDeps, req: Request, res: Response) {
  const actor = actorOf(req);
  authorizePage(actor, "remindLate");
  const picks = checked(bodyOf(req).pick).map((p) => {
    const [assignmentId, expertId] = p.split(":");
    return { assignmentId, expertId };
  });
  const r = await remindLateExperts(deps, { actor, picks: picks.filter((p) => UUID.test(p.assignmentId)) });
  res.redirect(303, `/queue/late-experts?done=bulk&n=${r.done}&refused=${r.refused.length}`);
}

async function showReassign(deps: PageDeps, req: Request, res: Response) {
  const actor = actorOf(req);
  authorizePage(actor, "reassign");
  const from = UUID.test(str(req.query.from)) ? str(req.query.from) : undefined;
  const work = await listStaffWork(deps.db, actor, { staffUserId: from });
  render(req, res, "reassign", presentReassign(work, tr(req), { from, result: resultIn(req.query) }));
}

async function reassign(deps: PageDeps, req: Request, res: Response) {
  const actor = actorOf(req);
  authorizePage(actor, "reassign");
  const b = bodyOf(req);
  const from = UUID.test(str(b.from)) ? str(b.from) : undefined;
  const change = {
    assignmentIds: checked(b.pick),
    toUserId: str(b.to),
    fromUserId: from,
    note: str(b.note) || undefined,
  };
  const r = await reassignWork(deps, { actor, change });
  res.redirect(303, `/queue/reassign?done=bulk&n=${r.done}&refused=${r.refused.length}${from ? `&from=${from}` : ""}`);
}

/** GET/POST /queue/late-experts, GET/POST /queue/reassign. */
export const bulkPages = [
  get("/queue/late-experts", showLate),
  post("/queue/late-experts", remindLate),
  get("/queue/reassign", showReassign),
  post("/queue/reassign", reassign),
];
