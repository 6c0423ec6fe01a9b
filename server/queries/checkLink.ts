/**
 * The links in e-mails that need no login (answer an invitation, sign in once): a signed, expiring
 * action token (server/mail/links.ts) that may be used once. This checks a token as a link page
 * receives it, and finds what it names; spending it is the commands' business.
 */
import { and, eq } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import { experts, invitations, usedTokens, users } from "../db/schema.js";
import { AppError, ConflictError, ForbiddenError, NotFoundError } from "../errors.js";
import { verifyActionToken, type ActionTokenPayload } from "../mail/links.js";

/** A verified, not yet used link: who it was sent to, for what, and its single-use id. */
export type LinkClaim = ActionTokenPayload;

/** What a link is for: answering an invitation (accept or decline) or signing in. */
export type LinkKind = "invitation" | "signin";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Verifies the token for its kind and refuses a used one.
 * @throws AppError 400 link_tampered (missing, malformed or altered), 410 link_expired,
 *   400 link_wrong_purpose; ConflictError link_used
 */
export async function checkLink(
  deps: { db: Executor; linkSecret: string; now: Date },
  token: unknown,
  kind: LinkKind,
): Promise<LinkClaim> {
  const claim = verifyLink(deps, token, kind);
  const [used] = await deps.db.select().from(usedTokens).where(eq(usedTokens.jti, claim.jti));
  if (used) throw new ConflictError("link_used", "Liên kết đã được sử dụng.");
  return claim;
}

/**
 * Verifies the token's signature, expiry and kind, used or not: a used invitation link still
 * proves its addressee, so it may ask for a sign-in link to be mailed to that same address.
 * @throws AppError 400 link_tampered, 410 link_expired, 400 link_wrong_purpose
 */
export function verifyLink(deps: { linkSecret: string; now: Date }, token: unknown, kind: LinkKind): LinkClaim {
  if (typeof token !== "string" || !token || token.length > 2000)
    throw new AppError(400, "link_tampered", "Liên kết không hợp lệ.");
  const verify = (purpose: LinkClaim["purpose"]) =>
    verifyActionToken(token, { secret: deps.linkSecret, now: deps.now, purpose });
  return kind === "signin" ? verify("signin") : verifyInvitationToken(verify);
}

/** Accept and decline links carry their answer as the token's purpose. */
function verifyInvitationToken(verify: (purpose: LinkClaim["purpose"]) => LinkClaim): LinkClaim {
  try {
    return verify("invitation.accept");
  } catch (err) {
    if (err instanceof AppError && err.code === "link_wrong_purpose") return verify("invitation.decline");
    throw err;
  }
}

/**
 * The invitation a link names, if it is still open and still addressed to the person the link was
 * sent to (the registry may have changed the expert's address since). `open: false` also finds an
 * answered one (to mail a sign-in link after a used link).
 * @throws NotFoundError invitation_not_found; ForbiddenError link_wrong_person; ConflictError invitation_closed
 */
export async function loadLinkedInvitation(db: Executor, claim: LinkClaim, opts: { open?: boolean } = {}) {
  if (!UUID.test(claim.subjectId)) throw new NotFoundError("invitation_not_found", "Không tìm thấy thư mời.");
  const [inv] = await db.select().from(invitations).where(eq(invitations.id, claim.subjectId));
  if (!inv) throw new NotFoundError("invitation_not_found", "Không tìm thấy thư mời.");
  const [expert] = await db
    .select()
    .from(experts)
    .where(and(eq(experts.id, inv.expertId), eq(experts.organizationId, inv.organizationId)));
  if (!expert || (expert.email ?? "").trim().toLowerCase() !== claim.email) {
    throw new ForbiddenError("Liên kết không dành cho người này.", "link_wrong_person");
  }
  if (opts.open !== false && inv.state !== "invited")
    throw new ConflictError("invitation_closed", "Thư mời đã được trả lời hoặc đã đóng.");
  return { invitation: inv, expert };
}

/**
 * The active user a sign-in link names, if the link was sent to their current address.
 * @throws NotFoundError user_not_found; ForbiddenError link_wrong_person
 */
export async function loadLinkedUser(db: Executor, claim: LinkClaim) {
  const [user] = UUID.test(claim.subjectId) ? await db.select().from(users).where(eq(users.id, claim.subjectId)) : [];
  if (!user || !user.active) throw new NotFoundError("user_not_found", "Không tìm thấy tài khoản.");
  if (user.email.trim().toLowerCase() !== claim.email)
    throw new ForbiddenError("Liên kết không dành cho người này.", "link_wrong_person");
  return user;
}
