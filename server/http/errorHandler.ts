/**
 * The one error middleware: AppErrors keep their status and code; body-parser and multer errors
 * become 400/413 with stable codes; anything else is 500 internal_error, logged with the request
 * id, never with a stack trace in the response.
 */
import type { NextFunction, Request, Response } from "express";
import { AppError, DatabaseUnavailableError, EffectError, isDatabaseUnavailable } from "../errors.js";
import { errorMessage } from "../words/errorMessage.js";

type Logger = { error: (o: object, m?: string) => void };

export function toAppError(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  if (isDatabaseUnavailable(err)) return new DatabaseUnavailableError();
  const e = err as { type?: string; status?: number; code?: string; message?: string; field?: string };
  if (e?.type === "entity.parse.failed")
    return new AppError(400, "malformed_json", "Nội dung gửi lên không phải JSON hợp lệ.");
  if (e?.type === "entity.too.large" || e?.code === "LIMIT_FILE_SIZE")
    return new AppError(413, "payload_too_large", "Tệp hoặc nội dung gửi lên quá lớn.");
  if (e?.type === "encoding.unsupported" || e?.type === "charset.unsupported")
    return new AppError(415, "unsupported_encoding", "Bảng mã không được hỗ trợ.");
  if (typeof e?.code === "string" && e.code.startsWith("LIMIT_"))
    return new AppError(400, "invalid_upload", "Tệp tải lên không hợp lệ.", e.field);
  if (err instanceof EffectError) return renderingError(err);
  if (isDataException(err)) return new AppError(400, "invalid_input", "Dữ liệu gửi lên không hợp lệ.");
  return null;
}

/**
 * A PostgreSQL "data exception" (SQLSTATE class 22: a NUL byte in text, a value that is not a
 * uuid, a date that does not exist, a number out of range…), found through wrapping errors. The
 * guards and schemas refuse such input first; this is the net under them, so it is never a 500.
 */
function isDataException(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; e && typeof e === "object" && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^22[0-9A-Z]{3}$/.test(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** A PDF rendered during a request (a draft preview): no browser or over time → 503; a broken template → 422. */
function renderingError(err: EffectError): AppError | null {
  switch (err.code) {
    case "renderer_unavailable":
    case "browser_unavailable":
    case "browser_crashed":
    case "renderer_closed":
      return new AppError(503, "renderer_unavailable", "Chưa dựng được văn bản PDF lúc này; vui lòng thử lại sau.");
    case "render_timeout":
      return new AppError(503, "render_timeout", "Dựng văn bản PDF quá thời gian cho phép; vui lòng thử lại sau.");
    case "template_broken":
    case "render_failed":
      return new AppError(422, "template_broken", err.message);
    default:
      return null;
  }
}

export function errorHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const app = toAppError(err);
    const status = app?.status ?? 500;
    const locale = localeOf(req);
    const body = app
      ? {
          error: {
            code: app.code,
            message: errorMessage(app.code, locale, app.message),
            ...(app.field ? { field: app.field } : {}),
            ...(app.details ? { details: app.details } : {}),
          },
        }
      : {
          error: {
            code: "internal_error",
            message: errorMessage("internal_error", locale),
            requestId: req.requestId,
          },
        };
    if (!app)
      logger.error(
        {
          err: err instanceof Error ? { message: err.message, stack: err.stack } : String(err),
          requestId: req.requestId,
        },
        "request failed",
      );
    if (res.headersSent) return;
    res.status(status);
    if (req.path.startsWith("/api/") || !req.accepts("html")) {
      res.json(body);
    } else {
      res
        .type("html")
        .send(
          `<!doctype html><html lang="${locale}"><meta ` +
            `charset="utf-8"><title>${locale === "en" ? "Error" : "Lỗi"} ${status}</title><body ` +
            `style="font-family:sans-serif;max-width:40rem;margin:3rem ` +
            `auto"><h1>${locale === "en" ? "Error" : "Lỗi"} ` +
            `${status}</h1><p>${escapeHtml(body.error.message)}</p><p><a ` +
            `href="/">${locale === "en" ? "Home" : "Về trang chủ"}</a></p></body></html>`,
        );
    }
  };
}

/** The user's language: the UI cookie, then the account, then Accept-Language; Vietnamese by default. */
function localeOf(req: Request): "vi" | "en" {
  const cookie = /(?:^|;\s*)tvpb_lang=(vi|en)/.exec(req.headers.cookie ?? "")?.[1];
  if (cookie === "vi" || cookie === "en") return cookie;
  if (req.actor) return req.actor.locale;
  const accept = String(req.headers["accept-language"] ?? "").toLowerCase();
  return accept.startsWith("en") ? "en" : "vi";
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
