/** Sign-in and the language switch as named pages; sign-out and sign-out everywhere as a router. */
import { Router, type Request, type Response } from "express";
import { AppError } from "../../errors.js";
import type { RuntimeDeps } from "../../runtime/applyEvent.js";
import { isDemoSeeded } from "../../queries/isDemoSeeded.js";
import { clearSessionCookie, setSessionCookie, startSession } from "../auth.js";
import { authenticateUser } from "../../queries/authenticateUser.js";
import { signOut } from "../../commands/signOut.js";
import { signOutEverywhere } from "../../commands/signOutEverywhere.js";
import { LoginSchema } from "../schemas.js";
import { LANG_COOKIE, render, safeNext, tr } from "./context.js";
import { bodyOf, get, post, type PageDeps } from "./pageRoute.js";

/** The demo accounts and the role each one shows (seeded by server/seed). */
const DEMO_ROLES: Array<[string, string]> = [
  ["coquan", "agency"],
  ["banthuky", "secretariat"],
  ["chuyengia", "expert"],
  ["chuyengia2", "expert"],
  ["chuyengia3", "expert"],
  ["lanhdao", "leadership"],
  ["vanthu", "clerk"],
  ["quantri", "admin"],
];
const DEMO = DEMO_ROLES.map(([u]) => `${u}@demo.tvpb.vn`);
const DEMO_PASSWORD = "tvpb-demo-2026";

/** The demo log-ins with their roles in words, each signing in with one click (a form of its own). */
const demoAccounts = (emails: string[], t: ReturnType<typeof tr>) =>
  emails.map((email, i) => ({ email, role: t(`role.${DEMO_ROLES[i][1]}`), password: DEMO_PASSWORD }));

const demos = new WeakMap<PageDeps, string[]>();

/** The demo log-ins, shown only where the demo was seeded (never in production, which never seeds). */
async function demoLogins(deps: PageDeps): Promise<string[]> {
  let d = demos.get(deps);
  if (!d) demos.set(deps, (d = (await isDemoSeeded(deps.db, DEMO[0])) ? DEMO : []));
  return d;
}

async function showSignIn(deps: PageDeps, req: Request, res: Response) {
  if (req.actor) return void res.redirect(303, safeNext(req.query.next));
  render(req, res, "login", {
    next: safeNext(req.query.next),
    demo: demoAccounts(await demoLogins(deps), tr(req)),
    signedOutEverywhere: req.query.signedOutEverywhere === "1",
    setUp: req.query.setUp === "1",
  });
}

type User = NonNullable<Awaited<ReturnType<typeof authenticateUser>>>;
type SignInCheck =
  | { user: User }
  | {
      user?: undefined;
      refused: string;
      status: number;
      retryAfter?: number;
      unions?: Array<{ slug: string; name: string }>;
    };

/**
 * The user, or the catalogue key and status of why signing in failed (too many attempts, wrong
 * password). The throttle is the one the API uses too.
 */
async function checkSignIn(
  deps: PageDeps,
  ip: string | undefined,
  input: { email: string; password: string; organization?: string },
): Promise<SignInCheck> {
  const attempt = { address: ip, account: input.email, password: input.password };
  const wait = deps.signInThrottle.waitMs(attempt);
  if (wait) return { refused: "login.rateLimited", status: 429, retryAfter: Math.ceil(wait / 1000) };
  try {
    const user = await authenticateUser(deps, input);
    deps.signInThrottle.succeeded(attempt);
    return { user: user as User }; // it throws rather than return no user
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    if (err.status === 401) {
      deps.signInThrottle.failed(attempt);
      return { refused: "login.wrong", status: 401 };
    }
    if (err.code === "organization_suspended") return { refused: "error.organization_suspended", status: 403 };
    if (err.code === "organization_required") {
      const unions = (err.details as { organizations: Array<{ slug: string; name: string }> }).organizations;
      return { refused: "login.chooseUnion", status: 409, unions };
    }
    throw err;
  }
}

async function signIn(deps: PageDeps, req: Request, res: Response) {
  const body = bodyOf(req);
  const next = safeNext(body.next);
  const organization = typeof body.organization === "string" && body.organization ? body.organization : undefined;
  const parsed = LoginSchema.safeParse({ email: body.email, password: body.password, organization });
  const again = async (status: number, key: string, unions: unknown[] = []) => {
    const email = String(body.email ?? "");
    const demo = demoAccounts(await demoLogins(deps), tr(req));
    render(req, res, "login", { next, demo, email, unions, error: tr(req)(key) }, status);
  };
  if (!parsed.success) return again(400, "login.invalid");
  const checked = await checkSignIn(deps, req.ip, parsed.data);
  if (!checked.user) {
    if (checked.retryAfter) res.setHeader("Retry-After", String(checked.retryAfter));
    return again(checked.status, checked.refused, checked.unions);
  }
  setSessionCookie(res, await startSession(deps.db, deps.clock, checked.user), deps.secureCookies);
  res.redirect(303, next);
}

function switchLanguage(deps: PageDeps, req: Request, res: Response) {
  const lang = req.params.lang === "en" ? "en" : "vi";
  const year = 365 * 86_400_000;
  res.cookie(LANG_COOKIE, lang, {
    httpOnly: true,
    sameSite: "lax",
    secure: deps.secureCookies,
    maxAge: year,
    path: "/",
  });
  res.redirect(303, safeNext(req.query.next));
}

/** Sign-in and the language switch. */
export const signInPages = [get("/login", showSignIn), post("/login", signIn), get("/lang/:lang", switchLanguage)];

/** Sign-out (this session) and sign-out everywhere (every session of the user). */
export function authPages(deps: RuntimeDeps & { secureCookies: boolean }) {
  const r = Router();

  r.post("/logout", async (req, res) => {
    await signOut(deps, { sessionId: req.session?.id });
    clearSessionCookie(res);
    res.redirect(303, "/login");
  });

  r.post("/logout-everywhere", async (req, res) => {
    await signOutEverywhere(deps, { actor: req.actor });
    clearSessionCookie(res);
    res.redirect(303, "/login?signedOutEverywhere=1");
  });

  return r;
}
