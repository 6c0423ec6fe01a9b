/**
 * /admin/clock: an administrator moves the installation's clock forward outside production, to show
 * or check what happens as time passes (reminders, late opinions, escalation, the response window).
 */
import type { Request, Response } from "express";
import { authorizePage } from "../../policies/pagePolicy.js";
import { moveClock } from "../../commands/moveClock.js";
import { readClock } from "../../queries/readClock.js";
import { errorMessage } from "../../words/errorMessage.js";
import { actorOf, render } from "./context.js";
import { attempt, bodyOf, get, post, str, type PageDeps } from "./pageRoute.js";

function showClock(deps: PageDeps, req: Request, res: Response, extra: object = {}, status = 200) {
  authorizePage(actorOf(req), "clock");
  const s = readClock(deps.clock);
  const days = Math.round((s.offsetMs / 86_400_000) * 10) / 10;
  render(req, res, "clock", { now: s.now, simulated: s.simulated, movable: s.movable, days, ...extra }, status);
}

async function advanceClock(deps: PageDeps, req: Request, res: Response) {
  const actor = actorOf(req);
  authorizePage(actor, "clock");
  const by = str(bodyOf(req).by).trim();
  const done = await attempt(
    async () => moveClock(deps, { actor, by }),
    (err) =>
      showClock(deps, req, res, { by, error: errorMessage(err.code, req.locale ?? "vi", err.message) }, err.status),
  );
  if (done) res.redirect(303, "/admin/clock?done=clock.moved");
}

/** GET and POST /admin/clock. */
export const clockPages = [get("/admin/clock", showClock), post("/admin/clock", advanceClock)];
