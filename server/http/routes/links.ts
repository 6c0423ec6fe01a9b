/**
 * Pages reached from e-mail links, without an account: an invited expert accepts or declines
 * (`/invitations/respond`), and anyone signs in with a one-time link (`/auth/link`).
 *
 * Each link carries a signed, expiring action token (server/mail/links.ts). A GET only shows a
 * page (mail scanners and link previewers follow links); the answer is a POST of that page's form.
 * A token is single-use: its `jti` goes into `used_tokens` in the same transaction as the answer
 * (or the new session), so a second use — also a concurrent one — finds it and gets 409 `link_used`.
 *
 * CSRF without a session. The POST must carry (1) the token itself, which only the addressee has
 * (it came in their e-mail; a cross-site attacker cannot read it), and (2) a per-form nonce,
 * HMAC(secret, jti + a random value in a SameSite=Strict cookie set by the GET). A forged cross-site
 * form has neither: without the token it cannot name an invitation at all, and even an attacker who
 * holds a token of their own (login CSRF: signing the victim in as the attacker) cannot produce a
 * valid nonce, because the browser does not send a Strict cookie on a cross-site POST and the
 * attacker cannot set or read that cookie for our origin. The nonce also proves the form was
 * rendered by us for this very token, so a replayed or hand-made POST is refused (403 csrf_failed).
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import express, { Router, type Request, type Response } from "express";
import { and, eq } from "drizzle-orm";
import type { Db, Tx } from "../../db/connect.js";
import { agencies, assignments, experts, invitations, organizations, usedTokens, users } from "../../db/schema.js";
import { AppError, ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../../errors.js";
import type { Actor } from "../../runtime/actor.js";
import type { RuntimeDeps } from "../../runtime/applyEvent.js";
import { queueEffect } from "../../runtime/records.js";
import { respondToInvitation } from "../../commands/respondToInvitation.js";
import { verifyActionToken, type ActionPurpose, type ActionTokenPayload } from "../../mail/links.js";
import { LINK_MESSAGES, type LinkPages } from "../../mail/linkPages.js";
import { formatShortDate } from "../../documents/format.js";
import { label } from "../../words/catalogue.js";
import { SESSION_COOKIE, startSession } from "../auth.js";

export type LinkRouteDeps = RuntimeDeps & {
  /** The secret the mail effect signs links with (config.sessionSecret). */
  linkSecret: string;
  secureCookies: boolean;
  pages: LinkPages;
};

/** The cookie that binds a rendered form to the browser that asked for it. */
export const FORM_COOKIE = "tvpb_form";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function linkRoutes(deps: LinkRouteDeps): Router {
  const r = Router();
  const form = express.urlencoded({ extended: false, limit: "32kb" });

  r.get("/invitations/respond", async (req, res) => {
    try {
      const token = tokenOf(req.query.token);
      const claim = verifyInvitationToken(token);
      await refuseUsed(deps.db, claim.jti);
      const { inv, expert } = await loadInvitation(deps.db, claim);
      const [a] = await deps.db.select().from(assignments).where(eq(assignments.id, inv.assignmentId));
      const [org] = await deps.db.select().from(organizations).where(eq(organizations.id, inv.organizationId));
      const [agency] = a?.agencyId ? await deps.db.select().from(agencies).where(eq(agencies.id, a.agencyId)) : [];
      const ctx = (a?.snapshot as { context?: { plan?: { reviewDays?: number } | null } } | undefined)?.context ?? {};
      const reviewDays = ctx.plan?.reviewDays;
      const nonce = formNonce(req, res, claim.jti);
      page(res, 200, "invitation", {
        title: claim.purpose === "invitation.accept" ? "Nhận lời tham gia" : "Từ chối lời mời",
        orgName: org?.name,
        accept: claim.purpose === "invitation.accept",
        token,
        nonce,
        expertName: [expert.academicTitle, expert.fullName].filter(Boolean).join(" "),
        assignment: {
          code: a?.code,
          title: a?.title,
          summary: a?.summary ?? a?.title,
          agencyName: agency?.name ?? a?.draftingAgency ?? org?.name,
        },
        role: label("panelRole", inv.panelRole),
        respondBy: inv.dueAt ? formatShortDate(inv.dueAt) : "—",
        reviewDue: reviewDays
          ? `${reviewDays} ngày kể từ ngày nhận hồ sơ · ${reviewDays} days from receiving the dossier`
          : undefined,
        confidential: a?.confidential,
      });
    } catch (err) {
      fail(res, err);
    }
  });

  r.post("/invitations/respond", form, async (req, res) => {
    try {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const token = tokenOf(body.token);
      const claim = verifyInvitationToken(token);
      await refuseUsed(deps.db, claim.jti);
      checkNonce(req, claim.jti, body.nonce);
      const accept = claim.purpose === "invitation.accept";
      // Validate the form before the token is spent, so a missing tick does not burn the link.
      const reason = typeof body.reason === "string" ? body.reason.trim().slice(0, 2000) : "";
      if (accept && !(ticked(body.noConflict) && ticked(body.confidentiality)))
        throw new ValidationError("validation_failed", "Chưa đánh dấu đủ các cam kết.", "declaration");
      if (!accept && !reason) throw new ValidationError("validation_failed", "Chưa ghi lý do từ chối.", "reason");

      const outcome = await deps.db.transaction(async (tx) => {
        await spend(tx, claim.jti);
        const { inv, expert } = await loadInvitation(tx, claim);
        const actor: Actor = {
          kind: "user",
          id: null,
          organizationId: inv.organizationId,
          name: [expert.academicTitle, expert.fullName].filter(Boolean).join(" "),
          roles: ["expert"],
          agencyId: null,
          expertId: inv.expertId,
          locale: "vi",
        };
        const event = accept
          ? { type: "invitation.accept" as const, declaration: { noConflict: true, confidentiality: true } }
          : { type: "invitation.decline" as const, reason, conflict: ticked(body.conflict) };
        try {
          // The command's own transaction becomes a savepoint of this one: the answer and the spent
          // token commit together or not at all.
          await respondToInvitation(
            { db: tx as unknown as Db, clock: deps.clock },
            { actor, invitationId: inv.id, event },
          );
        } catch (err) {
          if (err instanceof AppError && err.status === 409)
            throw new ConflictError("invitation_closed", "Thư mời đã được trả lời hoặc đã đóng.");
          throw err;
        }
        if (!accept) return { accepted: false as const, email: expert.email };
        const user = await accountFor(tx, inv.organizationId, expert);
        await queueEffect(tx, {
          organizationId: inv.organizationId,
          assignmentId: inv.assignmentId,
          kind: "mail",
          payload: {
            template: "signin.link",
            to: { userId: user.id },
            data: {},
            workflow: "invitation",
            workflowId: inv.id,
            event: "invitation.accept",
          },
          idempotencyKey: `signin:${inv.id}`,
          runAfter: deps.clock.now(),
        });
        return { accepted: true as const, email: user.email };
      });
      deps.onCommitted?.();
      if (outcome.accepted) {
        message(
          res,
          200,
          "ok",
          ["Cảm ơn Ông/Bà đã nhận lời", "Thank you for accepting"],
          [
            `Chúng tôi đã gửi liên kết đăng nhập tới ${outcome.email}. Mở liên kết đó để xem hồ sơ và gửi ý ` +
              `kiến phản biện.`,
            `We have sent a sign-in link to ${outcome.email}. Open it to read the dossier and submit your opinion.`,
          ],
        );
      } else {
        message(
          res,
          200,
          "ok",
          ["Đã ghi nhận việc từ chối", "Your answer has been recorded"],
          [
            "Cảm ơn Ông/Bà đã trả lời. Ban Tư vấn phản biện sẽ mời chuyên gia khác.",
            "Thank you for letting us know. The secretariat will invite another expert.",
          ],
        );
      }
    } catch (err) {
      fail(res, err);
    }
  });

  r.get("/auth/link", async (req, res) => {
    try {
      const token = tokenOf(req.query.token);
      const claim = verify(token, "signin");
      await refuseUsed(deps.db, claim.jti);
      const user = await loadSigninUser(deps.db, claim);
      const [org] = await deps.db.select().from(organizations).where(eq(organizations.id, user.organizationId));
      page(res, 200, "signin", {
        title: "Đăng nhập",
        orgName: org?.name,
        email: user.email,
        token,
        nonce: formNonce(req, res, claim.jti),
        a: typeof req.query.a === "string" && UUID.test(req.query.a) ? req.query.a : "",
      });
    } catch (err) {
      fail(res, err);
    }
  });

  r.post("/auth/link", form, async (req, res) => {
    try {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const token = tokenOf(body.token);
      const claim = verify(token, "signin");
      await refuseUsed(deps.db, claim.jti);
      checkNonce(req, claim.jti, body.nonce);
      const session = await deps.db.transaction(async (tx) => {
        await spend(tx, claim.jti);
        const user = await loadSigninUser(tx, claim);
        return startSession(tx as unknown as Db, deps.clock, user);
      });
      res.cookie(SESSION_COOKIE, session.cookie, {
        httpOnly: true,
        sameSite: "lax",
        secure: deps.secureCookies,
        maxAge: session.maxAgeMs,
        path: "/",
      });
      res.redirect(303, nextOf(body.a));
    } catch (err) {
      fail(res, err);
    }
  });

  /** Accept and decline links carry their answer as the token's purpose. */
  function verifyInvitationToken(token: string): ActionTokenPayload {
    try {
      return verify(token, "invitation.accept");
    } catch (err) {
      if (err instanceof AppError && err.code === "link_wrong_purpose") return verify(token, "invitation.decline");
      throw err;
    }
  }

  function verify(token: string, purpose: ActionPurpose) {
    return verifyActionToken(token, { secret: deps.linkSecret, now: deps.clock.now(), purpose });
  }

  /** Sets (or reuses) the form cookie and returns the nonce bound to it and to the token. */
  function formNonce(req: Request, res: Response, jti: string): string {
    let value = readCookie(req, FORM_COOKIE);
    if (!value || !/^[A-Za-z0-9_-]{22,64}$/.test(value)) {
      value = randomBytes(18).toString("base64url");
      res.cookie(FORM_COOKIE, value, {
        httpOnly: true,
        sameSite: "strict",
        secure: deps.secureCookies,
        maxAge: 2 * 3_600_000,
        path: "/",
      });
    }
    return nonceFor(jti, value);
  }

  function checkNonce(req: Request, jti: string, sent: unknown) {
    const cookie = readCookie(req, FORM_COOKIE);
    if (!cookie || typeof sent !== "string") throw new ForbiddenError("Biểu mẫu không còn hiệu lực.", "csrf_failed");
    const a = Buffer.from(nonceFor(jti, cookie));
    const b = Buffer.from(sent);
    if (a.length !== b.length || !timingSafeEqual(a, b))
      throw new ForbiddenError("Biểu mẫu không còn hiệu lực.", "csrf_failed");
  }

  function nonceFor(jti: string, cookie: string) {
    return createHmac("sha256", deps.linkSecret).update(`form-nonce:${jti}:${cookie}`).digest("base64url");
  }

  function page(
    res: Response,
    status: number,
    name: Parameters<LinkPages["render"]>[0],
    data: Parameters<LinkPages["render"]>[1],
  ) {
    res
      .status(status)
      .set("Cache-Control", "no-store")
      .set("Referrer-Policy", "no-referrer")
      .type("html")
      .send(deps.pages.render(name, data));
  }

  function message(
    res: Response,
    status: number,
    kind: "ok" | "error",
    heading: [string, string],
    text: [string, string],
    code?: string,
  ) {
    page(res, status, "message", {
      title: heading[0],
      heading: heading[0],
      headingEn: heading[1],
      text: text[0],
      textEn: text[1],
      kind,
      code,
    });
  }

  function fail(res: Response, err: unknown) {
    // Anything else is a bug: the error middleware logs it and answers 500 internal_error.
    if (!(err instanceof AppError)) throw err;
    const m = LINK_MESSAGES[err.code] ?? {
      heading: ["Không thực hiện được", "Could not complete"],
      text: [err.message, err.message],
    };
    message(res, err.status, "error", m.heading, m.text, err.code);
  }

  return r;
}

function tokenOf(v: unknown): string {
  if (typeof v !== "string" || !v || v.length > 2000)
    throw new AppError(400, "link_tampered", "Liên kết không hợp lệ.");
  return v;
}

function ticked(v: unknown) {
  return v === "yes" || v === "on" || v === "true";
}

/** Where to go after signing in: the assignment the link was about, else the list. */
function nextOf(a: unknown): string {
  return typeof a === "string" && UUID.test(a) ? `/assignments/${a}` : "/assignments";
}

async function refuseUsed(db: Db | Tx, jti: string) {
  const [used] = await db.select().from(usedTokens).where(eq(usedTokens.jti, jti));
  if (used) throw new ConflictError("link_used", "Liên kết đã được sử dụng.");
}

/** Records the jti; a second (or concurrent) use finds the row and is refused. */
async function spend(tx: Tx, jti: string) {
  const rows = await tx.insert(usedTokens).values({ jti }).onConflictDoNothing().returning();
  if (!rows.length) throw new ConflictError("link_used", "Liên kết đã được sử dụng.");
}

/** The invitation a token names, if it is still addressed to the person the token was sent to. */
async function loadInvitation(db: Db | Tx, claim: ActionTokenPayload) {
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
  if (inv.state !== "invited") throw new ConflictError("invitation_closed", "Thư mời đã được trả lời hoặc đã đóng.");
  return { inv, expert };
}

async function loadSigninUser(db: Db | Tx, claim: ActionTokenPayload) {
  const [user] = UUID.test(claim.subjectId) ? await db.select().from(users).where(eq(users.id, claim.subjectId)) : [];
  if (!user || !user.active) throw new NotFoundError("user_not_found", "Không tìm thấy tài khoản.");
  if (user.email.trim().toLowerCase() !== claim.email)
    throw new ForbiddenError("Liên kết không dành cho người này.", "link_wrong_person");
  return user;
}

/**
 * The expert's account in the organisation: the user linked to the expert, else the user with the
 * expert's e-mail (linked now), else a new one (role expert, no password: they sign in by link).
 */
async function accountFor(tx: Tx, organizationId: string, expert: typeof experts.$inferSelect) {
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
    return u;
  }
  const [u] = await tx
    .insert(users)
    .values({
      organizationId,
      email,
      fullName: [expert.academicTitle, expert.fullName].filter(Boolean).join(" "),
      roles: ["expert"],
      expertId: expert.id,
      passwordHash: null,
    })
    .returning();
  return u;
}

function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) {
      try {
        return decodeURIComponent(v.join("="));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
