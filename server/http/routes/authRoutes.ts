/** /api/v1/auth: log in (cookie session), log out, log out everywhere. */
import { Router } from "express";
import { and, eq, isNull } from "drizzle-orm";
import { organizations, sessions, users } from "../../db/schema.js";
import { UnauthenticatedError } from "../../errors.js";
import type { RuntimeDeps } from "../../runtime/applyEvent.js";
import { verifyPassword } from "../../auth/passwords.js";
import { SESSION_COOKIE, startSession, createRateLimiter } from "../auth.js";
import { LoginSchema } from "../schemas.js";
import { parse } from "../validate.js";

/** Finds the user by e-mail (and organisation when several share it) and checks the password. */
export async function authenticateUser(
  deps: RuntimeDeps,
  input: { email: string; password: string; organization?: string },
) {
  const rows = await deps.db
    .select({ u: users, slug: organizations.slug })
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.organizationId))
    .where(and(eq(users.email, input.email), eq(users.active, true)));
  const candidates = input.organization ? rows.filter((r) => r.slug === input.organization) : rows;
  const user = candidates.length === 1 ? candidates[0].u : undefined;
  const ok = await verifyPassword(
    input.password,
    user?.passwordHash ?? "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
  );
  if (!user || !ok) throw new UnauthenticatedError("Sai địa chỉ thư điện tử hoặc mật khẩu.");
  return user;
}

export function authRoutes(deps: RuntimeDeps & { secureCookies: boolean }) {
  const r = Router();
  const limiter = createRateLimiter({ max: 10, windowMs: 15 * 60_000, clock: deps.clock });

  r.post("/auth/login", async (req, res) => {
    const input = parse(LoginSchema, req.body);
    const key = `${req.ip}|${input.email}`;
    limiter.hit(key);
    const user = await authenticateUser(deps, input);
    limiter.reset(key);
    const s = await startSession(deps.db, deps.clock, user);
    res.cookie(SESSION_COOKIE, s.cookie, {
      httpOnly: true,
      sameSite: "lax",
      secure: deps.secureCookies,
      maxAge: s.maxAgeMs,
      path: "/",
    });
    res.json({ data: { id: user.id, name: user.fullName, roles: user.roles, csrfToken: s.csrfToken } });
  });

  r.post("/auth/logout", async (req, res) => {
    if (req.session)
      await deps.db.update(sessions).set({ revokedAt: deps.clock.now() }).where(eq(sessions.id, req.session.id));
    res.clearCookie(SESSION_COOKIE, { path: "/" });
    res.status(204).end();
  });

  r.post("/auth/logout-everywhere", async (req, res) => {
    if (!req.actor?.id) throw new UnauthenticatedError();
    await deps.db
      .update(sessions)
      .set({ revokedAt: deps.clock.now() })
      .where(and(eq(sessions.userId, req.actor.id), isNull(sessions.revokedAt)));
    res.clearCookie(SESSION_COOKIE, { path: "/" });
    res.status(204).end();
  });

  return r;
}
