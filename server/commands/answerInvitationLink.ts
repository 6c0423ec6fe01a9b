/**
 * An invited expert answers from the link in the invitation e-mail, without an account: accept
 * with the conflict-of-interest and confidentiality declaration, or decline with a reason. The
 * link is spent, the invitation answered and (on acceptance) the expert's account made and a
 * session started — the link already proved the address, so no second e-mail is needed — all in
 * one transaction.
 */
import { and, eq } from "drizzle-orm";
import type { Tx } from "../db/connect.js";
import { experts, users } from "../db/schema.js";
import { AppError, ConflictError, NotFoundError, ValidationError } from "../errors.js";
import type { Actor } from "../runtime/actor.js";
import { applyInvitationEventInTx, inTransaction, type RuntimeDeps } from "../runtime/applyEvent.js";
import { queueEffect } from "../runtime/queueEffect.js";
import { loadLinkedInvitation, type LinkClaim } from "../queries/checkLink.js";
import { forgetCachedActors } from "../queries/findActor.js";
import { spendLink } from "./spendLink.js";
import { startSession } from "./startSession.js";

/**
 * The answer as the form gives it: the declaration's ticks and, when accepting with a conflict of
 * interest, its description (`conflictNote`); or a reason (and whether it is a conflict) to decline.
 */
export type LinkAnswer = {
  noConflict: boolean;
  confidentiality: boolean;
  reason: string;
  conflict: boolean;
  conflictNote?: string;
};

type Expert = typeof experts.$inferSelect;

/**
 * `link` is the verified claim of an invitation link (server/queries/checkLink.ts); its purpose
 * says whether this is an acceptance or a decline. The form is checked before the link is spent,
 * so a missing tick does not burn the link.
 * @throws ValidationError validation_failed (declaration or reason missing); ConflictError link_used,
 *   invitation_closed, account_conflict; the link errors of loadLinkedInvitation
 */
export async function answerInvitationLink(deps: RuntimeDeps, props: { link: LinkClaim; answer: LinkAnswer }) {
  const { link, answer } = props;
  const accept = link.purpose === "invitation.accept";
  const reason = answer.reason.trim().slice(0, 2000);
  const event = accept
    ? { type: "invitation.accept" as const, declaration: linkDeclaration(answer) }
    : { type: "invitation.decline" as const, reason, conflict: answer.conflict };
  if (!accept && !reason) throw new ValidationError("validation_failed", "Chưa ghi lý do từ chối.", "reason");
  return inTransaction(deps, async (tx) => {
    await spendLink(tx, link.jti);
    const { invitation, expert } = await loadLinkedInvitation(tx, link);
    try {
      await applyInvitationEventInTx(
        tx,
        { clock: deps.clock, actor: expertActor(invitation, expert) },
        invitation.id,
        event,
      );
    } catch (err) {
      if (err instanceof AppError && err.status === 409)
        throw new ConflictError("invitation_closed", "Thư mời đã được trả lời hoặc đã đóng.");
      throw err;
    }
    if (!accept) return { accepted: false as const, email: expert.email };
    const user = await accountFor(tx, invitation.organizationId, expert);
    const session = await startSession({ db: tx, clock: deps.clock }, { user });
    return { accepted: true as const, email: user.email, session, assignmentId: invitation.assignmentId };
  });
}

/**
 * The acceptance's declaration, as the API takes it: confidentiality, and either "no conflict of
 * interest" or the conflict described — the secretariat then waives it with a written reason or
 * replaces the expert (conflict.waive / panel.replace), as for an acceptance sent through the API.
 * @throws ValidationError validation_failed (a tick missing, or both "no conflict" and a conflict)
 */
function linkDeclaration(answer: LinkAnswer) {
  const note = (answer.conflictNote ?? "").trim().slice(0, 2000);
  if (!answer.confidentiality || (!answer.noConflict && !note))
    throw new ValidationError("validation_failed", "Chưa đánh dấu đủ các cam kết.", "declaration");
  if (answer.noConflict && note)
    throw new ValidationError(
      "validation_failed",
      "Chọn “không có xung đột lợi ích” hoặc mô tả xung đột lợi ích, không chọn cả hai.",
      "declaration",
    );
  return note ? { noConflict: false, confidentiality: true, note } : { noConflict: true, confidentiality: true };
}

/**
 * A used invitation link opened again: mails a one-time sign-in link to the expert's account (the
 * address the invitation went to), so the expert gets in without a password. At most one per
 * invitation and minute (the effect's idempotency key).
 * @throws NotFoundError invitation_not_found, user_not_found; ForbiddenError link_wrong_person
 */
export async function mailInvitationSignin(deps: RuntimeDeps, props: { link: LinkClaim }) {
  return inTransaction(deps, async (tx) => {
    const { invitation, expert } = await loadLinkedInvitation(tx, props.link, { open: false });
    const [user] = await tx
      .select()
      .from(users)
      .where(and(eq(users.organizationId, invitation.organizationId), eq(users.expertId, expert.id)));
    if (!user || !user.active) throw new NotFoundError("user_not_found", "Không tìm thấy tài khoản.");
    const now = deps.clock.now();
    await queueEffect(tx, {
      organizationId: invitation.organizationId,
      assignmentId: invitation.assignmentId,
      kind: "mail",
      payload: {
        template: "signin.link",
        to: { userId: user.id },
        data: {},
        workflow: "invitation",
        workflowId: invitation.id,
        event: "invitation.accept",
      },
      idempotencyKey: `signin:${invitation.id}:${Math.floor(now.getTime() / 60_000)}`,
      runAfter: now,
    });
    return { email: user.email };
  });
}

/** The expert as the actor of their answer: the link proves who they are; they may have no account yet. */
function expertActor(invitation: { organizationId: string; expertId: string }, expert: Expert): Actor {
  return {
    kind: "user",
    id: null,
    organizationId: invitation.organizationId,
    name: [expert.academicTitle, expert.fullName].filter(Boolean).join(" "),
    roles: ["expert"],
    agencyId: null,
    expertId: invitation.expertId,
    locale: "vi",
  };
}

/**
 * The expert's account in the organisation: the user linked to the expert, else the user with the
 * expert's e-mail (linked now), else a new one (role expert, no password: they sign in by link).
 * @throws ConflictError account_conflict when that e-mail's account belongs to another expert
 */
async function accountFor(tx: Tx, organizationId: string, expert: Expert) {
  const [linked] = await tx
    .select()
    .from(users)
    .where(and(eq(users.organizationId, organizationId), eq(users.expertId, expert.id)));
  if (linked) return linked;
  const email = (expert.email ?? "").trim().toLowerCase();
  const [byEmail] = await tx
    .select()
    .from(users)
    .where(and(eq(users.organizationId, organizationId), eq(users.email, email)));
  if (byEmail) {
    if (byEmail.expertId && byEmail.expertId !== expert.id)
      throw new ConflictError("account_conflict", "Địa chỉ thư điện tử đã gắn với chuyên gia khác.");
    const roles = byEmail.roles.includes("expert") ? byEmail.roles : [...byEmail.roles, "expert"];
    const [u] = await tx.update(users).set({ expertId: expert.id, roles }).where(eq(users.id, byEmail.id)).returning();
    forgetCachedActors();
    return u;
  }
  const fullName = [expert.academicTitle, expert.fullName].filter(Boolean).join(" ");
  const values = { organizationId, email, fullName, roles: ["expert"], expertId: expert.id, passwordHash: null };
  const [u] = await tx.insert(users).values(values).returning();
  return u;
}
