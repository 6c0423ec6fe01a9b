import { expect } from "chai";
import { createActionToken, verifyActionToken } from "../../server/mail/links.js";
import { AppError } from "../../server/errors.js";

const secret = "test-secret-that-is-long-enough-for-hmac-sha256!";
const now = new Date("2026-03-02T02:00:00Z");
const expiresAt = new Date("2026-03-09T10:00:00Z");

function issue(over: Partial<Parameters<typeof createActionToken>[0]> = {}) {
  return createActionToken({
    secret,
    purpose: "invitation.accept",
    subjectId: "inv_01J9ZK3",
    email: "Thao.NguyenThiPhuong@hua.edu.vn",
    expiresAt,
    ...over,
  });
}

function failure(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(AppError);
    return err as AppError;
  }
  return expect.fail("expected an AppError");
}

describe("action link tokens", () => {
  it("round-trips a valid token that is compact and URL-safe", () => {
    const token = issue({ jti: "jti-1" });
    expect(token).to.match(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(encodeURIComponent(token)).to.equal(token);
    const payload = verifyActionToken(token, { secret, now, purpose: "invitation.accept" });
    expect(payload).to.deep.equal({
      purpose: "invitation.accept",
      subjectId: "inv_01J9ZK3",
      email: "thao.nguyenthiphuong@hua.edu.vn",
      expiresAt,
      jti: "jti-1",
    });
  });

  it("gives each token a fresh random jti by default", () => {
    const a = verifyActionToken(issue(), { secret, now, purpose: "invitation.accept" });
    const b = verifyActionToken(issue(), { secret, now, purpose: "invitation.accept" });
    expect(a.jti).to.not.equal(b.jti);
    expect(a.jti).to.have.length.greaterThan(16);
  });

  it("refuses an expired token with 410 link_expired", () => {
    const err = failure(() => verifyActionToken(issue(), { secret, now: expiresAt, purpose: "invitation.accept" }));
    expect(err.status).to.equal(410);
    expect(err.code).to.equal("link_expired");
  });

  it("refuses a token with one character flipped, in either part, with 400 link_tampered", () => {
    const token = issue();
    const dot = token.indexOf(".");
    for (const i of [2, dot + 3, token.length - 2]) {
      const c = token[i] === "A" ? "B" : "A";
      const bad = token.slice(0, i) + c + token.slice(i + 1);
      const err = failure(() => verifyActionToken(bad, { secret, now, purpose: "invitation.accept" }));
      expect(err.status).to.equal(400);
      expect(err.code).to.equal("link_tampered");
    }
  });

  it("refuses malformed tokens and tokens signed with another secret as tampered", () => {
    for (const bad of ["", "abc", "a.b.c", "%%.%%", issue().split(".")[0] + "."]) {
      expect(failure(() => verifyActionToken(bad, { secret, now, purpose: "signin" })).code).to.equal("link_tampered");
    }
    const other = createActionToken({
      secret: secret + "x",
      purpose: "signin",
      subjectId: "u1",
      email: "a@b.vn",
      expiresAt,
    });
    expect(failure(() => verifyActionToken(other, { secret, now, purpose: "signin" })).code).to.equal("link_tampered");
  });

  it("refuses a valid token used for another purpose with 400 link_wrong_purpose", () => {
    const err = failure(() => verifyActionToken(issue(), { secret, now, purpose: "invitation.decline" }));
    expect(err.status).to.equal(400);
    expect(err.code).to.equal("link_wrong_purpose");
  });

  it("insists on a secret of at least 32 bytes", () => {
    expect(() => issue({ secret: "short" })).to.throw(TypeError);
  });
});
