/**
 * The one error contract. Every failure a user can cause is an AppError with an HTTP status, a
 * stable snake_case code (tests assert it), a message in the user's language and, for validation,
 * the field at fault. Anything else becomes 500 internal_error in the error middleware.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 400: the request is malformed or fails validation. */
export class ValidationError extends AppError {
  constructor(code: string, message: string, field?: string, details?: unknown) {
    super(400, code, message, field, details);
  }
}

/** 401: no valid credentials. */
export class UnauthenticatedError extends AppError {
  constructor(message = "Bạn cần đăng nhập.") {
    super(401, "unauthenticated", message);
  }
}

/** 403: authenticated, but this role may not do this. */
export class ForbiddenError extends AppError {
  constructor(message = "Bạn không có quyền thực hiện thao tác này.", code = "forbidden") {
    super(403, code, message);
  }
}

/** 404: missing, or belongs to another organisation, or confidential and not yours. */
export class NotFoundError extends AppError {
  constructor(code: string, message: string) {
    super(404, code, message);
  }
}

/** 409: the event does not fit the current state, or the row changed under us. */
export class ConflictError extends AppError {
  constructor(code: string, message: string, details?: unknown) {
    super(409, code, message, undefined, details);
  }
}

/** 413: an upload or body over the limit. */
export class TooLargeError extends AppError {
  constructor(message = "Tệp hoặc nội dung gửi lên quá lớn.") {
    super(413, "payload_too_large", message);
  }
}

/** 429: too many attempts. */
export class RateLimitedError extends AppError {
  constructor(message = "Quá nhiều lần thử, vui lòng đợi một lát.") {
    super(429, "rate_limited", message);
  }
}

/**
 * Failures of effects (mail, rendering). Retryable ones are tried again with backoff; permanent
 * ones are recorded and reported to the workflow at once.
 */
export class EffectError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly code = "effect_failed",
  ) {
    super(message);
    this.name = "EffectError";
  }
}
