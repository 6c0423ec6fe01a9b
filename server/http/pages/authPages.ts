/** Sign-in, sign-out, sign-out everywhere and the language switch. */
import { Router } from "express";
import { eq } from "drizzle-orm";
import { users } from "../../db/schema.js";
import { AppError } from "../../errors.js";
import type { RuntimeDeps } from "../../runtime/applyEvent.js";
import { createRateLimiter, SESSION_COOKIE, startSession } from "../auth.js";
import { authenticateUser } from "../../queries/authenticateUser.js";
import { signOut } from "../../commands/signOut.js";
import { signOutEverywhere } from "../../commands/signOutEverywhere.js";
import { LoginSchema } from "../schemas.js";
import { LANG_COOKIE, render, safeNext, tr } from "./context.js";

const DEMO = ["coquan", "banthuky", "chuyengia", "chuyengia2", "chuyengia3", "lanhdao", "vanthu", "quantri"].map(
  (u) => `${u}@demo.tvpb.vn`,
);

export function authPages(deps: RuntimeDeps & { secureCookies: boolean }) {
  const r = Router();
  const limiter = createRateLimiter({ max: 10, windowMs: 15 * 60_000, clock: deps.clock });
  // The demo log-ins are shown only where the demo was seeded (never in production, which never seeds).
  let demo: string[] | null = null;
  const demoLogins = async () => {
    demo ??= (await deps.db.select({ id: users.id }).from(users).where(eq(users.email, DEMO[0])).limit(1)).length
      ? DEMO
      : [];
    return demo;
  };

  r.get("/login", async (req, res) => {
    if (req.actor) return void res.redirect(303, safeNext(req.query.next));
    render(req, res, "login", {
      next: safeNext(req.query.next),
      demo: await demoLogins(),
      signedOutEverywhere: req.query.signedOutEverywhere === "1",
    });
  });

  r.post("/login", async (req, res) => {
    const t = tr(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const next = safeNext(body.next);
    const parsed = LoginSchema.safeParse({ email: body.email, password: body.password });
    const demo = await demoLogins();
    const again = (status: number, message: string) =>
      render(req, res, "login", { next, demo, email: String(body.email ?? ""), error: message }, status);
    if (!parsed.success) return again(400, t("login.invalid"));
    const key = `${req.ip}|${parsed.data.email}`;
    try {
      limiter.hit(key);
    } catch {
      return again(429, t("login.rateLimited"));
    }
    let user;
    try {
      user = await authenticateUser(deps, parsed.data);
    } catch (err) {
      if (err instanceof AppError && err.status === 401) return again(401, t("login.wrong"));
      throw err;
    }
    limiter.reset(key);
    const s = await startSession(deps.db, deps.clock, user);
    res.cookie(SESSION_COOKIE, s.cookie, {
      httpOnly: true,
      sameSite: "lax",
      secure: deps.secureCookies,
      maxAge: s.maxAgeMs,
      path: "/",
    });
    res.redirect(303, next);
  });

  r.post("/logout", async (req, res) => {
    await signOut(deps, { sessionId: req.session?.id });
    res.clearCookie(SESSION_COOKIE, { path: "/" });
    res.redirect(303, "/login");
  });

  r.post("/logout-everywhere", async (req, res) => {
    if (req.actor?.id) await signOutEverywhere(deps, { actor: req.actor });
    res.clearCookie(SESSION_COOKIE, { path: "/" });
    res.redirect(303, "/login?signedOutEverywhere=1");
  });

  r.get("/lang/:lang", (req, res) => {
    const lang = req.params.lang === "en" ? "en" : "vi";
    res.cookie(LANG_COOKIE, lang, {
      httpOnly: true,
      sameSite: "lax",
      secure: deps.secureCookies,
      maxAge: 365 * 86_400_000,
      path: "/",
    });
    res.redirect(303, safeNext(req.query.next));
  });

  return r;
}
