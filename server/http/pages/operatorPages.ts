/**
 * The installation operator's pages (issue 11 §2, §4): sign-in with its own cookie, the Unions
 * (create one with its first administrator, rename, suspend, re-activate) and the national view.
 * The operator is in no Union: these pages read no Union's assignments, opinions, documents or
 * mail, and a Union's people get 403 here.
 */
import type { Request, Response } from "express";
import { AppError, ForbiddenError, NotFoundError } from "../../errors.js";
import { signInOperator } from "../../commands/signInOperator.js";
import { signOutOperator } from "../../commands/signOutOperator.js";
import { addUnion } from "../../commands/addUnion.js";
import { renameUnion } from "../../commands/renameUnion.js";
import { setUnionSuspended } from "../../commands/setUnionSuspended.js";
import { listUnions } from "../../queries/listUnions.js";
import { loadNationalView } from "../../queries/loadNationalView.js";
import { presentUnions, type UnionFormState } from "../../presenters/pages/presentUnions.js";
import { presentNationalView } from "../../presenters/pages/presentNationalView.js";
import type { Operator } from "../../runtime/actor.js";
import { hasLabel } from "../../words/catalogue.js";
import { errorMessage } from "../../words/errorMessage.js";
import { OPERATOR_COOKIE, setOperatorCookie } from "../auth.js";
import { render, tr } from "./context.js";
import { attempt, bodyOf, get, post, str, type PageDeps } from "./pageRoute.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UNION_FIELDS = ["name", "shortName", "place", "province", "slug", "adminEmail", "adminName"] as const;
/** Refusals without a field of their own, put beside the field they are about. */
const FIELD_OF_CODE: Record<string, string> = { union_exists: "slug", email_taken: "adminEmail" };

/** The operator, or: a Union's person is refused (403), anyone else goes to the operator's sign-in. */
function operatorOrAway(req: Request, res: Response): Operator | null {
  if (req.params.id !== undefined && !UUID.test(String(req.params.id)))
    throw new NotFoundError("organization_not_found", "Không tìm thấy Liên hiệp hội.");
  if (req.operator) return req.operator;
  if (req.actor) throw new ForbiddenError();
  res.redirect(303, "/operator/login");
  return null;
}

/** The message of a refusal in the reader's words; a field's own word when the code is generic. */
function messageOf(req: Request, err: AppError, field?: string): string {
  const locale = req.locale ?? "vi";
  if (err.code === "validation_failed" && field && hasLabel("unions.invalid", field, locale))
    return tr(req)(`unions.invalid.${field}`);
  return errorMessage(err.code, locale, err.message);
}

function showLogin(_deps: PageDeps, req: Request, res: Response) {
  if (req.operator) return void res.redirect(303, "/operator");
  render(req, res, "operatorLogin", {});
}

async function submitLogin(deps: PageDeps, req: Request, res: Response) {
  const b = bodyOf(req);
  const email = str(b.email).trim().toLowerCase();
  const attemptOf = { address: req.ip, account: `operator:${email}`, password: str(b.password) };
  const again = (key: string, status: number) =>
    render(req, res, "operatorLogin", { email, error: tr(req)(key) }, status);
  const wait = deps.signInThrottle.waitMs(attemptOf);
  if (wait) {
    res.setHeader("Retry-After", String(Math.ceil(wait / 1000)));
    return again("login.rateLimited", 429);
  }
  try {
    const { session } = await signInOperator(deps, { email, password: str(b.password) });
    deps.signInThrottle.succeeded(attemptOf);
    setOperatorCookie(res, session, deps.secureCookies);
    res.redirect(303, "/operator");
  } catch (err) {
    if (!(err instanceof AppError) || err.status !== 401) throw err;
    deps.signInThrottle.failed(attemptOf);
    again("login.wrong", 401);
  }
}

async function logout(deps: PageDeps, req: Request, res: Response) {
  await signOutOperator(deps, { sessionId: req.operatorSession?.id });
  res.clearCookie(OPERATOR_COOKIE, { path: "/" });
  res.redirect(303, "/operator/login");
}

async function showUnions(deps: PageDeps, req: Request, res: Response, form: UnionFormState = {}, status = 200) {
  const operator = operatorOrAway(req, res);
  if (!operator) return;
  const model = presentUnions(await listUnions(deps.db, operator), form, tr(req));
  render(req, res, "unions", { ...model, operatorName: operator.name }, status);
}

async function createUnionPage(deps: PageDeps, req: Request, res: Response) {
  const operator = operatorOrAway(req, res);
  if (!operator) return;
  const b = bodyOf(req);
  const values = Object.fromEntries(UNION_FIELDS.map((f) => [f, str(b[f]).trim()]));
  const { adminEmail, adminName, slug, name, shortName, place, province } = values;
  const input = { name, shortName, place, province, slug: slug || undefined };
  const admin = { email: adminEmail, fullName: adminName, password: str(b.adminPassword) };
  const done = await attempt(
    () => addUnion(deps, { operator, input, admin }),
    (err) => {
      const errorField = err.field ?? FIELD_OF_CODE[err.code];
      return showUnions(deps, req, res, { values, error: messageOf(req, err, errorField), errorField }, err.status);
    },
  );
  if (done) res.redirect(303, "/operator?done=union.created");
}

async function renameUnionPage(deps: PageDeps, req: Request, res: Response) {
  const operator = operatorOrAway(req, res);
  if (!operator) return;
  const b = bodyOf(req);
  const id = String(req.params.id);
  const props = { operator, id, name: str(b.name), shortName: str(b.shortName).trim() || undefined };
  const done = await attempt(
    () => renameUnion(deps, props),
    (err) =>
      showUnions(deps, req, res, { error: messageOf(req, err, err.field), errorField: `rename:${id}` }, err.status),
  );
  if (done) res.redirect(303, "/operator?done=union.renamed");
}

/** POST /operator/unions/:id/suspend and /reactivate. */
const setSuspended = (suspended: boolean) => async (deps: PageDeps, req: Request, res: Response) => {
  const operator = operatorOrAway(req, res);
  if (!operator) return;
  await setUnionSuspended(deps, { operator, id: String(req.params.id), suspended });
  res.redirect(303, `/operator?done=${suspended ? "union.suspended" : "union.reactivated"}`);
};

async function showNational(deps: PageDeps, req: Request, res: Response) {
  const operator = operatorOrAway(req, res);
  if (!operator) return;
  const locale = req.locale ?? "vi";
  const has = (group: string, code: string) => hasLabel(group, code, locale);
  const model = presentNationalView(await loadNationalView(deps.db, operator), tr(req), has);
  render(req, res, "national", { ...model, operatorName: operator.name });
}

/** The operator's pages (mounted before the Union's sign-in is required). */
export const operatorPages = [
  get("/operator/login", showLogin),
  post("/operator/login", submitLogin),
  post("/operator/logout", logout),
  get("/operator", (deps, req, res) => showUnions(deps, req, res)),
  post("/operator/unions", createUnionPage),
  post("/operator/unions/:id/rename", renameUnionPage),
  post("/operator/unions/:id/suspend", setSuspended(true)),
  post("/operator/unions/:id/reactivate", setSuspended(false)),
  get("/operator/national", showNational),
];
