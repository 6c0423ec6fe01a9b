/**
 * Pages reached from e-mail links, without an account: an invited expert accepts or declines
 * (`/invitations/respond`), and anyone signs in with a one-time link (`/auth/link`).
 *
 * Each link carries a signed, expiring action token (server/mail/links.ts). A GET only shows a
 * page (mail scanners and link previewers follow links); the answer is a POST of that page's form.
 * A token is single-use: the command that performs the answer (or starts the session) spends its
 * `jti` in the same transaction, so a second use — also a concurrent one — gets 409 `link_used`.
 * The forms' CSRF protection without a session is explained in ../linkForms.ts.
 */
import express, { Router, type Response } from "express";
import { AppError } from "../../errors.js";
import type { RuntimeDeps } from "../../runtime/applyEvent.js";
import type { LinkPages } from "../../views/linkPages.js";
import { answerInvitationLink, mailInvitationSignin } from "../../commands/answerInvitationLink.js";
import { signInWithLink } from "../../commands/signInWithLink.js";
import { checkLink, verifyLink } from "../../queries/checkLink.js";
import { loadInvitationLink } from "../../queries/loadInvitationLink.js";
import { loadSigninLink } from "../../queries/loadSigninLink.js";
import {
  presentInvitationAnswered,
  presentInvitationPage,
  presentLinkError,
  presentLinkUsed,
  presentSigninMailed,
} from "../../presenters/linkPagePresenter.js";
import { setSessionCookie } from "../auth.js";
import { linkForms } from "../linkForms.js";
import type { Handler } from "../handler.js";

export { FORM_COOKIE } from "../linkForms.js";

export type LinkRouteDeps = RuntimeDeps & {
  /** The secret the mail effect signs links with (config.sessionSecret). */
  linkSecret: string;
  secureCookies: boolean;
  pages: LinkPages;
};

type LinkDeps = LinkRouteDeps & { forms: ReturnType<typeof linkForms> };
type PageName = Parameters<LinkPages["render"]>[0];
type PageData = Parameters<LinkPages["render"]>[1];
type FormBody = Record<string, unknown>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The link pages, mounted at the site root before the pages that ask for a login. */
export function linkRoutes(deps: LinkRouteDeps): Router {
  const r = Router();
  const form = express.urlencoded({ extended: false, limit: "32kb" });
  const d: LinkDeps = { ...deps, forms: linkForms({ secret: deps.linkSecret, secureCookies: deps.secureCookies }) };
  r.get("/invitations/respond", onPage(d, getInvitation(d)));
  r.post("/invitations/respond", form, onPage(d, postInvitation(d)));
  r.post("/invitations/signin", form, onPage(d, postInvitationSignin(d)));
  r.get("/auth/link", onPage(d, getSignin(d)));
  r.post("/auth/link", form, onPage(d, postSignin(d)));
  return r;
}

/**
 * GET /invitations/respond?token=: the invitation and the accept or decline form; a link used
 * before offers to mail a sign-in link to the same address.
 */
function getInvitation(d: LinkDeps): Handler {
  return async (req, res) => {
    const token = String(req.query.token);
    try {
      const view = await loadInvitationLink(linkDeps(d), req.query.token);
      const nonce = d.forms.nonce(req, res, view.claim.jti);
      sendPage(d, res, 200, "invitation", presentInvitationPage(view, { token, nonce }));
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== "link_used") throw err;
      const nonce = d.forms.nonce(req, res, verifyLink(linkDeps(d), token, "invitation").jti);
      sendPage(d, res, 409, "message", presentLinkUsed(err, { token, nonce }));
    }
  };
}

/** POST /invitations/respond: the answer; on acceptance the expert is signed in and sees the assignment. */
function postInvitation(d: LinkDeps): Handler {
  return async (req, res) => {
    const body = (req.body ?? {}) as FormBody;
    const link = await checkLink(linkDeps(d), body.token, "invitation");
    d.forms.check(req, link.jti, body.nonce);
    const outcome = await answerInvitationLink(d, { link, answer: answerOf(body) });
    if (!outcome.accepted) return sendPage(d, res, 200, "message", presentInvitationAnswered(outcome));
    setSessionCookie(res, outcome.session, d.secureCookies);
    res.redirect(303, `/assignments/${outcome.assignmentId}?done=invitation.accept`);
  };
}

/** POST /invitations/signin: a used invitation link asks for a sign-in link by mail to its address. */
function postInvitationSignin(d: LinkDeps): Handler {
  return async (req, res) => {
    const body = (req.body ?? {}) as FormBody;
    const link = verifyLink(linkDeps(d), body.token, "invitation");
    d.forms.check(req, link.jti, body.nonce);
    const { email } = await mailInvitationSignin(d, { link });
    sendPage(d, res, 200, "message", presentSigninMailed(email));
  };
}

/** GET /auth/link?token=&a=: the one-time sign-in form. */
function getSignin(d: LinkDeps): Handler {
  return async (req, res) => {
    const { claim, email, orgName } = await loadSigninLink(linkDeps(d), req.query.token);
    const a = typeof req.query.a === "string" && UUID.test(req.query.a) ? req.query.a : "";
    const page = { title: "Đăng nhập", orgName, email, token: String(req.query.token), a };
    sendPage(d, res, 200, "signin", { ...page, nonce: d.forms.nonce(req, res, claim.jti) });
  };
}

/** POST /auth/link: spends the link, starts a session, goes to the assignment the link was about. */
function postSignin(d: LinkDeps): Handler {
  return async (req, res) => {
    const body = (req.body ?? {}) as FormBody;
    const link = await checkLink(linkDeps(d), body.token, "signin");
    d.forms.check(req, link.jti, body.nonce);
    setSessionCookie(res, await signInWithLink(d, { link }), d.secureCookies);
    res.redirect(303, typeof body.a === "string" && UUID.test(body.a) ? `/assignments/${body.a}` : "/assignments");
  };
}

const linkDeps = (d: LinkDeps) => ({ db: d.db, linkSecret: d.linkSecret, now: d.clock.now() });

const ticked = (v: unknown) => v === "yes" || v === "on" || v === "true";

/** The answer form's fields. */
function answerOf(body: FormBody) {
  return {
    noConflict: ticked(body.noConflict),
    confidentiality: ticked(body.confidentiality),
    conflict: ticked(body.conflict),
    reason: typeof body.reason === "string" ? body.reason : "",
    conflictNote: typeof body.conflictNote === "string" ? body.conflictNote : "",
  };
}

/** Runs a link page's handler; a refused link (an AppError) becomes the message page with its status. */
function onPage(d: LinkDeps, handler: Handler): Handler {
  return async (req, res, next) => {
    try {
      await handler(req, res, next);
    } catch (err) {
      // Anything else is a bug: the error middleware logs it and answers 500 internal_error.
      if (!(err instanceof AppError)) throw err;
      sendPage(d, res, err.status, "message", presentLinkError(err));
    }
  };
}

function sendPage(d: LinkDeps, res: Response, status: number, name: PageName, data: PageData) {
  res
    .status(status)
    .set("Cache-Control", "no-store")
    .set("Referrer-Policy", "no-referrer")
    .type("html")
    .send(d.pages.render(name, data));
}
