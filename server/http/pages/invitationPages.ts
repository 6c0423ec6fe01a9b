/** The expert's invitations: the list, and the answer (accept with the declarations, or decline with a reason). */
import type { Request, Response } from "express";
import { AppError } from "../../errors.js";
import { respondToInvitation } from "../../commands/respondToInvitation.js";
import { listExpertInvitations } from "../../queries/listExpertInvitations.js";
import { presentInvitations } from "../../presenters/pages/presentInvitations.js";
import { InvitationEventSchema } from "../schemas.js";
import { parse } from "../validate.js";
import { actorOf, render, tr } from "./context.js";
import { readInvitationAnswer } from "./forms/readInvitationAnswer.js";
import { attempt, bodyOf, get, post, type PageDeps } from "./pageRoute.js";

async function showInvitations(
  deps: PageDeps,
  req: Request,
  res: Response,
  error?: { id: string; message: string },
  status = 200,
) {
  const rows = await listExpertInvitations(deps.db, actorOf(req));
  render(req, res, "invitations", presentInvitations(rows, tr(req), error), status);
}

/** Checks the declarations when accepting, then sends the answer. @throws AppError declaration_required */
async function respond(deps: PageDeps, req: Request, id: string, answer: ReturnType<typeof readInvitationAnswer>) {
  const { event, declared } = answer;
  if (event.type === "invitation.accept" && !declared)
    throw new AppError(400, "declaration_required", tr(req)("invitation.declarationRequired"));
  const parsed = parse(InvitationEventSchema, event);
  await respondToInvitation(deps, { actor: actorOf(req), invitationId: id, event: parsed as never });
}

/** Shows the invitations again with why the answer was refused. */
const invitationAgain = (deps: PageDeps, req: Request, res: Response, id: string) => (err: AppError) => {
  const message = err.code === "validation_failed" ? tr(req)("invitation.reasonRequired") : err.message;
  return showInvitations(deps, req, res, { id, message }, err.status);
};

async function answerInvitation(deps: PageDeps, req: Request, res: Response) {
  const id = String(req.params.id);
  const answer = readInvitationAnswer(bodyOf(req));
  const run = () => respond(deps, req, id, answer);
  if (await attempt(run, invitationAgain(deps, req, res, id)))
    res.redirect(303, `/invitations?done=${answer.event.type}`);
}

/** The invitation pages. */
export const invitationPages = [
  get("/invitations", (deps, req, res) => showInvitations(deps, req, res)),
  post("/invitations/:id", answerInvitation),
];
