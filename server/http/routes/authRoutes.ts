/** /api/v1/auth: log in (cookie session), log out, log out everywhere. */
import { Router, type RequestHandler } from "express";
import type { RuntimeDeps } from "../../runtime/applyEvent.js";
import { signIn } from "../../commands/signIn.js";
import { signOut } from "../../commands/signOut.js";
import { signOutEverywhere } from "../../commands/signOutEverywhere.js";
import { AppError, RateLimitedError } from "../../errors.js";
import { clearSessionCookie, setSessionCookie } from "../auth.js";
import type { SignInThrottle } from "../signInThrottle.js";
import { LoginSchema } from "../schemas.js";
import { parse } from "../validate.js";

type AuthDeps = RuntimeDeps & { secureCookies: boolean; signInThrottle: SignInThrottle };

/** The log-in and log-out routes (mounted at /api/v1/auth before requireActor: paths here are below it). */
export function authRoutes(deps: AuthDeps): Router {
  const r = Router();
  r.post("/login", postLogin(deps));
  r.post("/logout", postLogout(deps));
  r.post("/logout-everywhere", postLogoutEverywhere(deps));
  return r;
}

/**
 * POST /auth/login: e-mail and password → session cookie and CSRF token. Failures slow the next
 * tries down (429 rate_limited with Retry-After), through the throttle the sign-in page shares.
 */
function postLogin(deps: AuthDeps): RequestHandler {
  return async (req, res) => {
    const input = parse(LoginSchema, req.body);
    const attempt = { address: req.ip, account: input.email, password: input.password };
    const wait = deps.signInThrottle.waitMs(attempt);
    if (wait) {
      res.setHeader("Retry-After", String(Math.ceil(wait / 1000)));
      throw new RateLimitedError();
    }
    const { user, session } = await signIn(deps, input).catch((err: unknown) => {
      if (err instanceof AppError && err.status === 401) deps.signInThrottle.failed(attempt);
      throw err;
    });
    deps.signInThrottle.succeeded(attempt);
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
