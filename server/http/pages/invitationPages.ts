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

async function answerInvitation(deps: PageDeps, req: Request, res: Response) {
  const t = tr(req);
  const id = String(req.params.id);
  const { event, declared } = readInvitationAnswer(bodyOf(req));
  const run = async () => {
    if (event.type === "invitation.accept" && !declared)
      throw new AppError(400, "declaration_required", t("invitation.declarationRequired"));
    const parsed = parse(InvitationEventSchema, event);
    await respondToInvitation(deps, { actor: actorOf(req), invitationId: id, event: parsed as never });
  };
  const again = (err: AppError) => {
    const message = err.code === "validation_failed" ? t("invitation.reasonRequired") : err.message;
    return showInvitations(deps, req, res, { id, message }, err.status);
  };
  if (await attempt(run, again)) res.redirect(303, `/invitations?done=${event.type}`);
}

/** The invitation pages. */
export const invitationPages = [
  get("/invitations", (deps, req, res) => showInvitations(deps, req, res)),
  post("/invitations/:id", answerInvitation),
];
