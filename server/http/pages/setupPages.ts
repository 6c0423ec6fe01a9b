/**
 * The first-run page: while the database holds no Union and no operator, `/setup` asks for the
 * first Union and its administrator, guarded by the one-time code the server printed at start.
 * Afterwards (or without a code) it is not there (404).
 */
import type { Request, Response } from "express";
import { NotFoundError } from "../../errors.js";
import { isInstallationEmpty } from "../../queries/isInstallationEmpty.js";
import { setUpInstallation } from "../../commands/setUpInstallation.js";
import { errorMessage } from "../../words/errorMessage.js";
import { render } from "./context.js";
import { attempt, bodyOf, get, post, str, type PageDeps } from "./pageRoute.js";

const FIELDS = ["code", "name", "shortName", "place", "province", "adminEmail", "adminName"] as const;

/** 404 unless the installation is empty and this process printed a setup code. */
async function openOrNotFound(deps: PageDeps): Promise<string> {
  if (!deps.setupCode || !(await isInstallationEmpty(deps.db)))
    throw new NotFoundError("route_not_found", "Không tìm thấy trang /setup.");
  return deps.setupCode;
}

async function showSetup(deps: PageDeps, req: Request, res: Response) {
  await openOrNotFound(deps);
  render(req, res, "setup", { values: {} });
}

async function submitSetup(deps: PageDeps, req: Request, res: Response) {
  const expected = await openOrNotFound(deps);
  const b = bodyOf(req);
  const values = Object.fromEntries(FIELDS.map((f) => [f, str(b[f]).trim()]));
  const done = await attempt(
    () =>
      setUpInstallation(deps, {
        input: { name: values.name, shortName: values.shortName, place: values.place, province: values.province },
        admin: { email: values.adminEmail, fullName: values.adminName, password: str(b.adminPassword) },
        code: { given: values.code, expected },
      }),
    (err) => {
      const error = errorMessage(err.code, req.locale ?? "vi", err.message);
      render(req, res, "setup", { values, error, errorField: err.field }, err.status);
    },
  );
  if (done) res.redirect(303, "/login?setUp=1");
}

/** GET and POST /setup. */
export const setupPages = [get("/setup", showSetup), post("/setup", submitSetup)];
