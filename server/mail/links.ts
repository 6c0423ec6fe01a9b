/**
 * Signed, expiring action tokens for links that need no login: an expert accepts or declines an
 * invitation from the e-mail, anyone signs in with a one-time link. Format (compact, URL-safe):
 * `base64url(JSON payload) + "." + base64url(HMAC-SHA256(secret, first part))`.
 *
 * A token proves who it was issued to, for what, and until when. It does NOT prove it is unused:
 * single use is enforced by the caller, which records the token's `jti` in a database table inside
 * the same transaction that performs the action and refuses a `jti` it has seen.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { AppError } from "../errors.js";

/** What a token may be used for; a token for one purpose is refused for another. */
export type ActionPurpose = "invitation.accept" | "invitation.decline" | "signin";

const PURPOSES: readonly ActionPurpose[] = ["invitation.accept", "invitation.decline", "signin"];

/** The verified content of a token. */
export type ActionTokenPayload = {
  purpose: ActionPurpose;
  /** The invitation id (invitation.*) or the user id (signin). */
  subjectId: string;
  /** The address the link was sent to, lower-cased. */
  email: string;
  expiresAt: Date;
  /** Unique token id; the caller stores it to make the link single-use. */
  jti: string;
};

type Wire = { v: 1; p: ActionPurpose; s: string; e: string; x: number; j: string };

const B64URL = /^[A-Za-z0-9_-]+$/;
const MIN_SECRET_BYTES = 32;

/**
 * Issues a token. `jti` defaults to 128 random bits. The expiry is kept to the second.
 * Throws TypeError for a secret shorter than 32 bytes, an unknown purpose, an empty subject or
 * email, or an invalid expiry — these are programming errors, not user errors.
 */
export function createActionToken(props: {
  secret: string | Buffer;
  purpose: ActionPurpose;
  subjectId: string;
  email: string;
  expiresAt: Date;
  jti?: string;
}): string {
  const key = secretKey(props.secret);
  if (!PURPOSES.includes(props.purpose)) throw new TypeError(`Unknown token purpose: ${props.purpose}`);
  if (!props.subjectId || !props.email) throw new TypeError("A token needs a subjectId and an email.");
  const exp = props.expiresAt.getTime();
  if (!Number.isFinite(exp)) throw new TypeError("A token needs a valid expiresAt.");
  const wire: Wire = {
    v: 1,
    p: props.purpose,
    s: props.subjectId,
    e: props.email.trim().toLowerCase(),
    x: Math.floor(exp / 1000),
    j: props.jti ?? randomBytes(16).toString("base64url"),
  };
  const body = Buffer.from(JSON.stringify(wire), "utf8").toString("base64url");
  return `${body}.${sign(key, body)}`;
}

/**
 * Checks a token and returns its payload. Order: signature, then purpose, then expiry, so nothing
 * about an unsigned token is believed. Throws AppError:
 * - 400 `link_tampered`: malformed, or the signature does not match (one flipped character);
 * - 400 `link_wrong_purpose`: a valid token issued for another purpose;
 * - 410 `link_expired`: valid, but `now` is at or after its expiry.
 * Does not check single use: the caller looks up `jti`.
 */
export function verifyActionToken(
  token: string,
  opts: { secret: string | Buffer; now: Date; purpose: ActionPurpose },
): ActionTokenPayload {
  const key = secretKey(opts.secret);
  const parts = typeof token === "string" ? token.split(".") : [];
  if (parts.length !== 2 || !B64URL.test(parts[0]) || !B64URL.test(parts[1])) throw tampered();
  const given = Buffer.from(parts[1], "base64url");
  const expected = Buffer.from(sign(key, parts[0]), "base64url");
  // timingSafeEqual needs equal lengths; a length mismatch is already a failure.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw tampered();
  // Re-encoding must give the same text, so two spellings of one signature are not both accepted.
  if (given.toString("base64url") !== parts[1]) throw tampered();

  let wire: Wire;
  try {
    wire = JSON.parse(Buffer.from(parts[0], "base64url").toString("utf8")) as Wire;
  } catch {
    throw tampered();
  }
  if (
    !wire ||
    wire.v !== 1 ||
    !PURPOSES.includes(wire.p) ||
    typeof wire.s !== "string" ||
    typeof wire.e !== "string" ||
    !Number.isInteger(wire.x) ||
    typeof wire.j !== "string"
  ) {
    throw tampered();
  }
  if (wire.p !== opts.purpose) {
    throw new AppError(400, "link_wrong_purpose", "Liên kết này không dùng cho thao tác này.");
  }
  if (opts.now.getTime() >= wire.x * 1000) {
    throw new AppError(410, "link_expired", "Liên kết đã hết hạn. Vui lòng đề nghị gửi lại liên kết mới.");
  }
  return { purpose: wire.p, subjectId: wire.s, email: wire.e, expiresAt: new Date(wire.x * 1000), jti: wire.j };
}

function sign(key: Buffer, body: string): string {
  return createHmac("sha256", key).update(body, "utf8").digest("base64url");
}

function secretKey(secret: string | Buffer): Buffer {
  const key = typeof secret === "string" ? Buffer.from(secret, "utf8") : secret;
  if (!Buffer.isBuffer(key) || key.length < MIN_SECRET_BYTES) {
    throw new TypeError(`The link secret must be at least ${MIN_SECRET_BYTES} bytes.`);
  }
  return key;
}

function tampered(): AppError {
  return new AppError(400, "link_tampered", "Liên kết không hợp lệ hoặc đã bị sửa đổi.");
}
