/** /api/v1/auth: log in (cookie session), log out, log out everywhere. */
import { Router, type RequestHandler } from "express";
import type { RuntimeDeps } from "../../runtime/applyEvent.js";
import { signIn } from "../../commands/signIn.js";
import { signOut } from "../../commands/signOut.js";
import { signOutEverywhere } from "../../commands/signOutEverywhere.js";
import { clearSessionCookie, createRateLimiter, setSessionCookie } from "../auth.js";
import { LoginSchema } from "../schemas.js";
import { parse } from "../validate.js";

type AuthDeps = RuntimeDeps & { secureCookies: boolean };

/** The log-in and log-out routes (mounted under /api/v1 before requireActor). */
export function authRoutes(deps: AuthDeps): Router {
  const r = Router();
  r.post("/auth/login", postLogin(deps));
  r.post("/auth/logout", postLogout(deps));
  r.post("/auth/logout-everywhere", postLogoutEverywhere(deps));
  return r;
}

/** POST /auth/login: e-mail and password → session cookie and CSRF token; 10 tries per 15 minutes. */
function postLogin(deps: AuthDeps): RequestHandler {
  const limiter = createRateLimiter({ max: 10, windowMs: 15 * 60_000, clock: deps.clock });
  return async (req, res) => {
    const input = parse(LoginSchema, req.body);
    const key = `${req.ip}|${input.email}`;
    limiter.hit(key);
    const { user, session } = await signIn(deps, input);
    limiter.reset(key);
    setSessionCookie(res, session, deps.secureCookies);
    res.json({ data: { id: user.id, name: user.fullName, roles: user.roles, csrfToken: session.csrfToken } });
  };
}

/** POST /auth/logout: ends this session (the pages' log-out calls the same command). */
function postLogout(deps: AuthDeps): RequestHandler {
  return async (req, res) => {
    await signOut(deps, { sessionId: req.session?.id });
    clearSessionCookie(res);
    res.status(204).end();
  };
}

/** POST /auth/logout-everywhere: ends every session of the signed-in user. */
function postLogoutEverywhere(deps: AuthDeps): RequestHandler {
  return async (req, res) => {
    await signOutEverywhere(deps, { actor: req.actor });
    clearSessionCookie(res);
    res.status(204).end();
  };
}
