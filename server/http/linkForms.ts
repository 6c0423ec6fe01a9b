/**
 * CSRF for the link pages, which have no session. The POST must carry (1) the token itself, which
 * only the addressee has (it came in their e-mail; a cross-site attacker cannot read it), and (2) a
 * per-form nonce, HMAC(secret, jti + a random value in a SameSite=Strict cookie set by the GET). A
 * forged cross-site form has neither: without the token it cannot name an invitation at all, and
 * even an attacker who holds a token of their own (login CSRF: signing the victim in as the
 * attacker) cannot produce a valid nonce, because the browser does not send a Strict cookie on a
 * cross-site POST and the attacker cannot set or read that cookie for our origin. The nonce also
 * proves the form was rendered by us for this very token, so a replayed or hand-made POST is
 * refused (403 csrf_failed).
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Request, Response } from "express";
import { ForbiddenError } from "../errors.js";
import { readCookie } from "./auth.js";

/** The cookie that binds a rendered form to the browser that asked for it. */
export const FORM_COOKIE = "tvpb_form";

/** Signs and checks form nonces with the links' secret. */
export function linkForms(opts: { secret: string; secureCookies: boolean }) {
  const nonceFor = (jti: string, cookie: string) =>
    createHmac("sha256", opts.secret).update(`form-nonce:${jti}:${cookie}`).digest("base64url");
  return {
    /** Sets (or reuses) the form cookie and returns the nonce bound to it and to the token. */
    nonce(req: Request, res: Response, jti: string): string {
      let value = readCookie(req, FORM_COOKIE);
      if (!value || !/^[A-Za-z0-9_-]{22,64}$/.test(value)) {
        value = randomBytes(18).toString("base64url");
        const maxAge = 2 * 3_600_000;
        res.cookie(FORM_COOKIE, value, {
          httpOnly: true,
          sameSite: "strict",
          secure: opts.secureCookies,
          maxAge,
          path: "/",
        });
      }
      return nonceFor(jti, value);
    },
    /** @throws ForbiddenError csrf_failed when the nonce is missing or not this browser's for this token */
    check(req: Request, jti: string, sent: unknown): void {
      const cookie = readCookie(req, FORM_COOKIE);
      if (!cookie || typeof sent !== "string") throw new ForbiddenError("Biểu mẫu không còn hiệu lực.", "csrf_failed");
      const a = Buffer.from(nonceFor(jti, cookie));
      const b = Buffer.from(sent);
      if (a.length !== b.length || !timingSafeEqual(a, b))
        throw new ForbiddenError("Biểu mẫu không còn hiệu lực.", "csrf_failed");
    },
  };
}
