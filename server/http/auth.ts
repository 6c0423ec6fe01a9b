/**
 * Authentication: Bearer API tokens for integrations, cookie sessions for browsers. A cookie
 * session must also present its CSRF token on every unsafe request (header X-CSRF-Token or form
 * field _csrf); Bearer requests need none, since browsers never send them on their own.
 *
 * `identify` is the one way a request becomes an actor, for the JSON API, the pages and the
 * outbox alike; the lookup itself is the query server/queries/findActor.ts.
 */
import type { NextFunction, Request, Response } from "express";
import type { Db, Executor } from "../db/connect.js";
import type { users } from "../db/schema.js";
import { ForbiddenError, RateLimitedError, UnauthenticatedError } from "../errors.js";
import type { Actor, Operator } from "../runtime/actor.js";
import type { Clock } from "../runtime/clock.js";
import { findActor } from "../queries/findActor.js";
import { findOperatorSession } from "../queries/findOperator.js";
import { operatorNotInUnion } from "../policies/operatorPolicy.js";
import { startSession as startSessionCommand, type StartedSession } from "../commands/startSession.js";

export { actorFromUser } from "../queries/findActor.js";

export const SESSION_COOKIE = "tvpb_session";
/** The installation operator's session cookie (operators are in no Union: a cookie of their own). */
export const OPERATOR_COOKIE = "tvpb_operator";

declare module "express-serve-static-core" {
  interface Request {
    actor?: Actor;
    session?: { id: string; csrfToken: string };
    operator?: Operator;
    operatorSession?: { id: string; csrfToken: string };
    requestId?: string;
  }
}

/** The value of a request cookie, or undefined (also when it is not valid percent-encoding). */
export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) {
      try {
        return decodeURIComponent(v.join("="));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** Resolves the actor from the request; sets req.actor and req.session (or leaves them undefined). */
export function identify(deps: { db: Db; clock: Clock }) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    try {
      const auth = req.headers.authorization;
      const found = await findActor(deps.db, {
        bearer: auth?.startsWith("Bearer ") ? auth.slice(7).trim() : undefined,
        sessionCookie: readCookie(req, SESSION_COOKIE),
        now: deps.clock.now(),
      });
      if (found) {
        req.actor = found.actor;
        if (found.session) req.session = found.session;
      }
      const op = await findOperatorSession(deps.db, readCookie(req, OPERATOR_COOKIE), deps.clock.now());
      if (op) {
        req.operator = op.operator;
        req.operatorSession = op.session;
      }
      next();
    } catch (err) {
      next(err);
    }
  };
}

/** The request's actor, in a handler mounted after requireActor. */
export const actorOf = (req: Request): Actor => req.actor as Actor;

/** Requires an actor; 401 otherwise, 403 operator_not_in_union for an installation operator. */
export function requireActor(req: Request, _res: Response, next: NextFunction) {
  if (!req.actor && req.operator) return next(operatorNotInUnion());
  if (!req.actor) return next(new UnauthenticatedError());
  next();
}

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/** Refuses unsafe cookie-authenticated requests without the session's CSRF token (403 csrf_failed). */
export function csrfProtection(req: Request, _res: Response, next: NextFunction) {
  const session = req.session ?? req.operatorSession;
  if (SAFE.has(req.method) || !session) return next();
  const sent =
    (req.headers["x-csrf-token"] as string | undefined) ??
    (req.body && typeof req.body === "object" ? (req.body as Record<string, unknown>)._csrf : undefined);
  const expected = [req.session?.csrfToken, req.operatorSession?.csrfToken].filter(Boolean);
  if (typeof sent !== "string" || !expected.includes(sent) || !session)
    return next(new ForbiddenError("Phiên làm việc không hợp lệ (CSRF). Hãy tải lại trang.", "csrf_failed"));
  next();
}

/** Gives the browser its session cookie (HttpOnly, SameSite=Lax; Secure behind https). */
export function setSessionCookie(res: Response, session: StartedSession, secure: boolean) {
  res.cookie(SESSION_COOKIE, session.cookie, {
    httpOnly: true,
    sameSite: "lax",
    secure,
    maxAge: session.maxAgeMs,
    path: "/",
  });
}

/** Gives the operator's browser its cookie (HttpOnly, SameSite=Strict; Secure behind https). */
export function setOperatorCookie(res: Response, session: StartedSession, secure: boolean) {
  res.cookie(OPERATOR_COOKIE, session.cookie, {
    httpOnly: true,
    sameSite: "strict",
    secure,
    maxAge: session.maxAgeMs,
    path: "/",
  });
}

/** Takes the session cookie back. */
export function clearSessionCookie(res: Response) {
  res.clearCookie(SESSION_COOKIE, { path: "/" });
}

/** Starts a session for a signed-in user (the pages' log-in); see server/commands/startSession.ts. */
export function startSession(db: Executor, clock: Clock, user: typeof users.$inferSelect): Promise<StartedSession> {
  return startSessionCommand({ db, clock }, { user });
}
