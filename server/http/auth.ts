/**
 * Authentication: Bearer API tokens for integrations, cookie sessions for browsers. A cookie
 * session must also present its CSRF token on every unsafe request (header X-CSRF-Token or form
 * field _csrf); Bearer requests need none, since browsers never send them on their own.
 */
import type { NextFunction, Request, Response } from "express";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { rowsOf, type Db } from "../db/connect.js";
import { sessions, users } from "../db/schema.js";
import { ForbiddenError, RateLimitedError, UnauthenticatedError } from "../errors.js";
import type { Actor, Role } from "../runtime/actor.js";
import type { Clock } from "../runtime/clock.js";
import { newSecret, sha256 } from "../auth/passwords.js";

export const SESSION_COOKIE = "tvpb_session";
const SESSION_DAYS = 14;

declare module "express-serve-static-core" {
  interface Request {
    actor?: Actor;
    session?: { id: string; csrfToken: string };
    requestId?: string;
  }
}

type TokenUser = {
  id: string;
  organization_id: string;
  full_name: string;
  roles: string[];
  agency_id: string | null;
  expert_id: string | null;
  locale: string;
};

export function actorFromUser(
  u: Pick<
    typeof users.$inferSelect,
    "id" | "organizationId" | "fullName" | "roles" | "agencyId" | "expertId" | "locale"
  >,
): Actor {
  return {
    kind: "user",
    id: u.id,
    organizationId: u.organizationId,
    name: u.fullName,
    roles: u.roles as Role[],
    agencyId: u.agencyId,
    expertId: u.expertId,
    locale: u.locale === "en" ? "en" : "vi",
  };
}

function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return decodeURIComponent(v.join("="));
  }
  return undefined;
}

/** Resolves the actor from the request; sets req.actor (or leaves it undefined). */
export function identify(deps: { db: Db; clock: Clock }) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    try {
      const now = deps.clock.now();
      const auth = req.headers.authorization;
      if (auth?.startsWith("Bearer ")) {
        // Flat SQL with only what an actor needs: every API request pays for this lookup.
        const found = await deps.db
          .execute(sql`select u.id, u.organization_id, u.full_name, u.roles, u.agency_id, u.expert_id, u.locale
          from api_tokens t join users u on u.id = t.user_id
          where t.token_hash = ${sha256(auth.slice(7).trim())} and t.revoked_at is null and u.active`);
        const [u] = rowsOf<TokenUser>(found);
        if (!u) return next(new UnauthenticatedError("Mã truy cập không hợp lệ hoặc đã bị thu hồi."));
        req.actor = actorFromUser({
          id: u.id,
          organizationId: u.organization_id,
          fullName: u.full_name,
          roles: u.roles,
          agencyId: u.agency_id,
          expertId: u.expert_id,
          locale: u.locale,
        });
        return next();
      }
      const cookie = readCookie(req, SESSION_COOKIE);
      if (cookie) {
        const [row] = await deps.db
          .select({ u: users, s: sessions })
          .from(sessions)
          .innerJoin(users, eq(users.id, sessions.userId))
          .where(
            and(
              eq(sessions.id, sha256(cookie)),
              isNull(sessions.revokedAt),
              gt(sessions.expiresAt, now),
              eq(users.active, true),
            ),
          );
        if (row) {
          req.actor = actorFromUser(row.u);
          req.session = { id: row.s.id, csrfToken: row.s.csrfToken };
        }
      }
      next();
    } catch (err) {
      next(err);
    }
  };
}

/** Requires an actor; 401 otherwise. */
export function requireActor(req: Request, _res: Response, next: NextFunction) {
  if (!req.actor) return next(new UnauthenticatedError());
  next();
}

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/** Refuses unsafe cookie-authenticated requests without the session's CSRF token (403 csrf_failed). */
export function csrfProtection(req: Request, _res: Response, next: NextFunction) {
  if (SAFE.has(req.method) || !req.session) return next();
  const sent =
    (req.headers["x-csrf-token"] as string | undefined) ??
    (req.body && typeof req.body === "object" ? (req.body as Record<string, unknown>)._csrf : undefined);
  if (typeof sent !== "string" || sent !== req.session.csrfToken)
    return next(new ForbiddenError("Phiên làm việc không hợp lệ (CSRF). Hãy tải lại trang.", "csrf_failed"));
  next();
}

/** Starts a session: returns the cookie value and the CSRF token. */
export async function startSession(db: Db, clock: Clock, user: typeof users.$inferSelect) {
  const { token, hash } = newSecret();
  const csrf = newSecret().token;
  const now = clock.now();
  await db.insert(sessions).values({
    id: hash,
    userId: user.id,
    organizationId: user.organizationId,
    csrfToken: csrf,
    createdAt: now,
    expiresAt: new Date(now.getTime() + SESSION_DAYS * 86_400_000),
  });
  return { cookie: token, csrfToken: csrf, maxAgeMs: SESSION_DAYS * 86_400_000 };
}

/** A small in-memory limiter for log-in attempts: `max` per key per window. */
export function createRateLimiter(opts: { max: number; windowMs: number; clock: Clock }) {
  const hits = new Map<string, number[]>();
  return {
    /** @throws RateLimitedError when the key is over its budget. */
    hit(key: string) {
      const now = opts.clock.now().getTime();
      const list = (hits.get(key) ?? []).filter((t) => now - t < opts.windowMs);
      list.push(now);
      hits.set(key, list);
      if (hits.size > 10_000)
        for (const k of hits.keys()) {
          hits.delete(k);
          if (hits.size < 5_000) break;
        }
      if (list.length > opts.max) throw new RateLimitedError();
    },
    reset(key: string) {
      hits.delete(key);
    },
  };
}
