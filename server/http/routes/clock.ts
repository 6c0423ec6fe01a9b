/**
 * /api/v1/clock: the installation's clock. An administrator may move it forward outside production
 * (demonstrations, checks of reminders and late opinions); in production it is refused (403
 * clock_fixed_in_production).
 */
import { Router } from "express";
import type { RuntimeDeps } from "../../runtime/applyEvent.js";
import { moveClock } from "../../commands/moveClock.js";
import { readClock, type ClockStatus } from "../../queries/readClock.js";
import { actorOf } from "../auth.js";
import { parse } from "../validate.js";
import { ClockAdvanceSchema } from "../schemas.js";
import type { Handler } from "../handler.js";

const presentClock = (s: ClockStatus) => ({
  now: s.now.toISOString(),
  offsetMs: s.offsetMs,
  simulated: s.simulated,
  movable: s.movable,
});

/** The clock routes (mounted under /api/v1 after requireActor). */
export function clockRoutes(deps: RuntimeDeps): Router {
  const r = Router();
  r.get("/clock", getClock(deps));
  r.post("/clock/advance", postAdvance(deps));
  return r;
}

/** GET /clock: the installation's time and whether it runs ahead. */
function getClock(deps: RuntimeDeps): Handler {
  return (_req, res) => void res.json({ data: presentClock(readClock(deps.clock)) });
}

/** POST /clock/advance {"by":"3d"}: moves the clock forward (admin, not in production). */
function postAdvance(deps: RuntimeDeps): Handler {
  return async (req, res) => {
    const { by } = parse(ClockAdvanceSchema, req.body);
    res.json({ data: presentClock(await moveClock(deps, { actor: actorOf(req), by })) });
  };
}
