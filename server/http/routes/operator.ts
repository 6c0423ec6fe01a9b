/**
 * /api/v1/operator: the installation operator, above the Unions and in none of them. Log-in (its
 * own cookie), the Unions (create with a first administrator, rename, suspend, re-activate, add an
 * administrator). Nothing here reads a Union's assignments, opinions, documents or mail.
 */
import { Router, type RequestHandler } from "express";
import { AppError, RateLimitedError } from "../../errors.js";
import type { RuntimeDeps } from "../../runtime/applyEvent.js";
import { signInOperator } from "../../commands/signInOperator.js";
import { signOutOperator } from "../../commands/signOutOperator.js";
import { addUnion } from "../../commands/addUnion.js";
import { renameUnion } from "../../commands/renameUnion.js";
import { setUnionSuspended } from "../../commands/setUnionSuspended.js";
import { createUnionAdmin } from "../../commands/createUnionAdmin.js";
import { listUnions } from "../../queries/listUnions.js";
import { loadNationalView } from "../../queries/loadNationalView.js";
import { presentUnion } from "../../presenters/unionPresenter.js";
import { OPERATOR_COOKIE, setOperatorCookie } from "../auth.js";
import type { SignInThrottle } from "../signInThrottle.js";
import type { Handler } from "../handler.js";
import { parse } from "../validate.js";
import { AdminSchema, LoginSchema, RenameSchema, UnionSchema } from "../operatorSchemas.js";

type OperatorDeps = RuntimeDeps & { secureCookies: boolean; signInThrottle: SignInThrottle };

/** The operator's routes (mounted at /api/v1/operator before requireActor: paths here are below it). */
export function operatorRoutes(deps: OperatorDeps): Router {
  const r = Router();
  r.post("/auth/login", postLogin(deps));
  r.post("/auth/logout", postLogout(deps));
  r.get("/unions", getUnions(deps));
  r.post("/unions", postUnion(deps));
  r.patch("/unions/:id", patchUnion(deps));
  r.post("/unions/:id/suspend", postSuspended(deps, true));
  r.post("/unions/:id/reactivate", postSuspended(deps, false));
  r.post("/unions/:id/admins", postAdmin(deps));
  r.get("/national", getNational(deps));
  return r;
}

/**
 * POST /operator/auth/login: e-mail and password → the operator cookie and CSRF token. Failures slow
 * the next tries down (429 rate_limited with Retry-After) through the throttle the Unions' sign-in uses.
 */
function postLogin(deps: OperatorDeps): RequestHandler {
  return async (req, res) => {
    const input = parse(LoginSchema, req.body);
    const attempt = { address: req.ip, account: `operator:${input.email}`, password: input.password };
    const wait = deps.signInThrottle.waitMs(attempt);
    if (wait) {
      res.setHeader("Retry-After", String(Math.ceil(wait / 1000)));
      throw new RateLimitedError();
    }
    const { operator, session } = await signInOperator(deps, input).catch((err: unknown) => {
      if (err instanceof AppError && err.status === 401) deps.signInThrottle.failed(attempt);
      throw err;
    });
    deps.signInThrottle.succeeded(attempt);
    setOperatorCookie(res, session, deps.secureCookies);
    res.json({ data: { id: operator.id, name: operator.name, kind: "operator", csrfToken: session.csrfToken } });
  };
}

/** POST /operator/auth/logout: ends the operator's session. */
function postLogout(deps: OperatorDeps): RequestHandler {
  return async (req, res) => {
    await signOutOperator(deps, { sessionId: req.operatorSession?.id });
    res.clearCookie(OPERATOR_COOKIE, { path: "/" });
    res.status(204).end();
  };
}

/** GET /operator/unions: every Union of the installation. */
function getUnions(deps: OperatorDeps): RequestHandler {
  return async (req, res) => {
    const rows = await listUnions(deps.db, req.operator);
    res.json({ data: rows.map(presentUnion) });
  };
}

/** POST /operator/unions: a new Union with its first administrator. */
function postUnion(deps: OperatorDeps): RequestHandler {
  return async (req, res) => {
    const { admin, ...input } = parse(UnionSchema, req.body);
    const created = await addUnion(deps, { operator: req.operator, input, admin });
    const { organization: o, admin: a } = created;
    res.status(201).json({ data: { ...presentUnion({ ...o, accounts: 1 }), admin: { id: a!.id, email: a!.email } } });
  };
}

/** PATCH /operator/unions/:id: renames a Union. */
function patchUnion(deps: OperatorDeps): Handler<"id"> {
  return async (req, res) => {
    const input = parse(RenameSchema, req.body);
    const o = await renameUnion(deps, { operator: req.operator, id: req.params.id, ...input });
    res.json({ data: presentUnion(o) });
  };
}

/** POST /operator/unions/:id/suspend and /reactivate. */
function postSuspended(deps: OperatorDeps, suspended: boolean): Handler<"id"> {
  return async (req, res) => {
    const o = await setUnionSuspended(deps, { operator: req.operator, id: req.params.id, suspended });
    res.json({ data: presentUnion(o) });
  };
}

/** POST /operator/unions/:id/admins: adds an administrator to a Union. */
function postAdmin(deps: OperatorDeps): Handler<"id"> {
  return async (req, res) => {
    const admin = parse(AdminSchema.strict(), req.body);
    const user = await createUnionAdmin(deps, { operator: req.operator, id: req.params.id, admin });
    res.status(201).json({ data: user });
  };
}

/** GET /operator/national: per Union and total aggregates (no titles, no personal data). */
function getNational(deps: OperatorDeps): RequestHandler {
  return async (req, res) => void res.json({ data: await loadNationalView(deps.db, req.operator) });
}
