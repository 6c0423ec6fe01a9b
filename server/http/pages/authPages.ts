/** Sign-in and the language switch as named pages; sign-out and sign-out everywhere as a router. */
import { Router, type Request, type Response } from "express";
import { AppError } from "../../errors.js";
import type { RuntimeDeps } from "../../runtime/applyEvent.js";
import { listDemoAccounts, type DemoAccount } from "../../queries/listDemoAccounts.js";
import { switchDemoAccount } from "../../commands/switchDemoAccount.js";
import { clearSessionCookie, setSessionCookie, startSession } from "../auth.js";
import { authenticateUser } from "../../queries/authenticateUser.js";
import { signOut } from "../../commands/signOut.js";
import { signOutEverywhere } from "../../commands/signOutEverywhere.js";
import { LoginSchema } from "../schemas.js";
import { LANG_COOKIE, render, safeNext, tr } from "./context.js";
import { bodyOf, get, post, type PageDeps } from "./pageRoute.js";

const DEMO_PASSWORD = "tvpb-demo-2026";

const demos = new WeakMap<PageDeps, DemoAccount[]>();

/**
 * The demo accounts (every demo Union's), read once per app; none where the demo was not seeded
 * (never in production, which never seeds).
 */
export async function demoAccounts(deps: PageDeps): Promise<DemoAccount[]> {
  let d = demos.get(deps);
  if (!d) demos.set(deps, (d = deps.production ? [] : await listDemoAccounts(deps.db)));
  return d;
}

/** The demo log-ins Union by Union, each with its role in words and a one-click sign-in form. */
async function demoLogins(deps: PageDeps, t: ReturnType<typeof tr>) {
  const unions: Array<{ name: string; accounts: object[] }> = [];
  for (const a of await demoAccounts(deps)) {
    if (unions.at(-1)?.name !== a.organizationName) unions.push({ name: a.organizationName, accounts: [] });
    unions.at(-1)!.accounts.push({
      email: a.email,
      name: a.name,
      role: t(`role.${a.role}`),
      password: DEMO_PASSWORD,
      organization: a.shared ? a.organizationSlug : null,
    });
  }
  return unions;
}

async function showSignIn(deps: PageDeps, req: Request, res: Response) {
  if (req.actor) return void res.redirect(303, safeNext(req.query.next));
  render(req, res, "login", {
    next: safeNext(req.query.next),
    demo: await demoLogins(deps, tr(req)),
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
    const demo = await demoLogins(deps, tr(req));
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

/** POST /demo/switch: in the demo, a demo account becomes another one without a password. */
async function switchAccount(deps: PageDeps, req: Request, res: Response) {
  if (!req.actor) return void res.redirect(303, "/login");
  const targetUserId = String(bodyOf(req).account ?? "");
  const production = deps.production ?? false;
  const sessionId = req.session?.id;
  const session = await switchDemoAccount({ ...deps, production }, { actor: req.actor, sessionId, targetUserId });
  setSessionCookie(res, session, deps.secureCookies);
  res.redirect(303, "/?done=demo.switched");
}

/** Sign-in, the language switch and the demo's change of account. */
export const signInPages = [
  get("/login", showSignIn),
  post("/login", signIn),
  get("/lang/:lang", switchLanguage),
  post("/demo/switch", switchAccount),
];

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
