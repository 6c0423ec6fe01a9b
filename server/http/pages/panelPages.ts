/** The secretariat's panel builder: search the registry, pick members and ranked alternates, invite them. */
import type { Request, Response } from "express";
import type { AppError } from "../../errors.js";
import { loadAssignment } from "../../policies/assignmentPolicy.js";
import { authorizePage } from "../../policies/pagePolicy.js";
import { sendAssignmentEvent } from "../../commands/sendAssignmentEvent.js";
import { searchPanelCandidates } from "../../queries/searchPanelCandidates.js";
import { presentPanelBuilder } from "../../presenters/pages/presentPanelBuilder.js";
import type { FailedForm } from "../../presenters/pages/pageTypes.js";
import { loadAssignmentDetail as assignmentDetail } from "../../queries/loadAssignmentDetail.js";
import { EventSchema } from "../schemas.js";
import { parse } from "../validate.js";
import { actorOf, render, tr } from "./context.js";
import { readPanelForm } from "./forms/readPanelForm.js";
import { attempt, bodyOf, get, post, str, type PageDeps } from "./pageRoute.js";

type Picks = ReturnType<typeof readPanelForm>["picks"];
type ParsedEvent = { type: string; expectedVersion?: number } & Record<string, unknown>;

async function showPanel(deps: PageDeps, req: Request, res: Response, failed?: FailedForm<Picks>, status = 200) {
  const actor = actorOf(req);
  authorizePage(actor, "panelBuilder");
  const assignment = await loadAssignment(deps.db, actor, String(req.params.id));
  const q = str(req.query.q).slice(0, 200);
  const search = await searchPanelCandidates(deps.db, actor, { assignmentId: assignment.id, q });
  const detail = await assignmentDetail(deps.db, actor, assignment.id, deps.clock.now());
  render(req, res, "panel", presentPanelBuilder({ assignment, q, search, detail, failed }, tr(req)), status);
}

async function invitePanel(deps: PageDeps, req: Request, res: Response) {
  const form = readPanelForm(bodyOf(req));
  const assignmentId = String(req.params.id);
  const run = async () => {
    const { expectedVersion, ...event } = parse(EventSchema, form.event) as ParsedEvent;
    await sendAssignmentEvent(deps, { actor: actorOf(req), assignmentId, event, expectedVersion });
  };
  const again = (err: AppError) => {
    const error = err.code === "validation_failed" ? tr(req)("panel.pickSomeone") : err.message;
    return showPanel(deps, req, res, { values: form.picks, error }, err.status);
  };
  if (await attempt(run, again)) res.redirect(303, `/assignments/${assignmentId}/panel?done=panel.invite`);
}

/** The panel builder's pages. */
export const panelPages = [
  get("/assignments/:id/panel", (deps, req, res) => showPanel(deps, req, res)),
  post("/assignments/:id/panel", invitePanel),
];
