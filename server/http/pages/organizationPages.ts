/**
 * The organisation's own administration: member associations, and the settings (names, signers,
 * margins, timeline, minimums, reminder policy, holidays of a year).
 */
import type { Request, Response } from "express";
import { authorizePage } from "../../policies/pagePolicy.js";
import { createMemberAssociation } from "../../commands/registry.js";
import { updateSettings } from "../../commands/updateSettings.js";
import { findOrganization } from "../../queries/findOrganization.js";
import { listAssociationsWithCounts } from "../../queries/listAssociationsWithCounts.js";
import { loadOrganizationSettings } from "../../queries/loadOrganizationSettings.js";
import { presentSettings } from "../../presenters/pages/presentSettings.js";
import { resolveSettings } from "../../settings.js";
import { actorOf, render, tr } from "./context.js";
import { readSettingsForm } from "./forms/readSettingsForm.js";
import { bodyOf, get, post, str, type PageDeps } from "./pageRoute.js";

const thisYear = (deps: PageDeps) => Number(deps.clock.now().toISOString().slice(0, 4));

async function showAssociations(deps: PageDeps, req: Request, res: Response, extra = {}, status = 200) {
  const actor = actorOf(req);
  authorizePage(actor, "associations");
  const rows = await listAssociationsWithCounts(deps.db, actor);
  render(req, res, "associations", { rows, values: {}, ...extra }, status);
}

async function addAssociation(deps: PageDeps, req: Request, res: Response) {
  const actor = actorOf(req);
  authorizePage(actor, "associations");
  const b = bodyOf(req);
  const name = str(b.name).trim();
  if (!name || name.length > 300) {
    const t = tr(req);
    return showAssociations(deps, req, res, { values: b, error: t("error.field", { field: t("field.name") }) }, 400);
  }
  await createMemberAssociation(deps.db, { actor, input: { name, shortName: str(b.shortName).trim() || null } });
  res.redirect(303, "/admin/associations?done=association.created");
}

async function showSettings(deps: PageDeps, req: Request, res: Response, extra = {}, status = 200) {
  const actor = actorOf(req);
  authorizePage(actor, "settings");
  const year = Number(str(req.query.year) || str(bodyOf(req).year)) || thisYear(deps);
  const data = await loadOrganizationSettings(deps.db, actor, year);
  render(req, res, "settings", presentSettings(data, year, extra), status);
}

async function saveSettings(deps: PageDeps, req: Request, res: Response) {
  const actor = actorOf(req);
  authorizePage(actor, "settings");
  const org = await findOrganization(deps.db, actor);
  const form = readSettingsForm(bodyOf(req), resolveSettings(org.settings), thisYear(deps));
  if ("field" in form) {
    const error = tr(req)("error.field", { field: form.field });
    return showSettings(deps, req, res, { error, errorField: form.field }, 400);
  }
  await updateSettings(deps.db, { actor, input: form.input });
  res.redirect(303, `/admin/settings?year=${form.year}&done=settings.saved`);
}

/** The associations and settings pages. */
export const organizationPages = [
  get("/admin/associations", (deps, req, res) => showAssociations(deps, req, res)),
  post("/admin/associations", addAssociation),
  get("/admin/settings", (deps, req, res) => showSettings(deps, req, res)),
  post("/admin/settings", saveSettings),
];
