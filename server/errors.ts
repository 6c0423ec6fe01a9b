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

/** 503: the database cannot be reached right now (restarting, down, connection lost). Retry later. */
export class DatabaseUnavailableError extends AppError {
  constructor(message = "Cơ sở dữ liệu tạm thời không truy cập được. Vui lòng thử lại sau ít phút.") {
    super(503, "database_unavailable", message);
  }
}

// SQLSTATE classes that mean "the connection, not the statement": 08 (connection exception) and
// 57P01–57P03 (admin/crash shutdown, cannot connect now: a restart in progress).
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123])$/;
const UNAVAILABLE_ERRNO = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "ENOTFOUND", "EAI_AGAIN"]);
const UNAVAILABLE_MESSAGE = [
  "Connection terminated", // pg: the server closed the socket (restart) — also "… unexpectedly"
  "Client has encountered a connection error and is not queryable",
  "timeout exceeded when trying to connect",
  "Client was closed and is not queryable",
  "PGlite is closed",
];

/**
 * Whether `err` (or an error it wraps: Drizzle wraps driver errors in `cause`) means the database
 * cannot be reached — as opposed to a statement it refused. Such failures are retried by workers
 * and answered 503 `database_unavailable` to requests. Throws nothing.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; e && typeof e === "object" && depth < 5; depth++) {
    if (e instanceof DatabaseUnavailableError) return true;
    const { code, message, cause } = e as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === "string" && (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_ERRNO.has(code))) return true;
    if (typeof message === "string" && UNAVAILABLE_MESSAGE.some((m) => message.startsWith(m))) return true;
    e = cause;
  }
  return false;
}
