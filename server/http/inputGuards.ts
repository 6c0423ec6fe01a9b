/**
 * Guards every route puts in front of its own validation, so that bad input is a clear 4xx with a
 * stable code and never reaches a command or the database: control characters in the address,
 * the query or the body (400 `control_characters`), an address that does not decode (400
 * `malformed_url`), JSON nested deeper than any schema (400 `json_too_deep`), and a multipart body
 * that does not parse (400 `malformed_multipart`).
 */
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { AppError } from "../errors.js";
import { CONTROL_CHARACTERS } from "../commands/events/fields.js";

/** Deeper than any body the API takes (an opinion or a report is 4–5 levels deep). */
export const MAX_JSON_DEPTH = 32;

const controlCharacters = (field?: string) =>
  new AppError(400, "control_characters", "Dữ liệu gửi lên có ký tự điều khiển (ví dụ NUL).", field);

/** The path of the first string (or key) in `value` that holds a control character, or null. */
export function controlCharacterAt(value: unknown, at = "", depth = 0): string | null {
  if (typeof value === "string") return CONTROL_CHARACTERS.test(value) ? at || "body" : null;
  if (!value || typeof value !== "object" || depth > MAX_JSON_DEPTH) return null;
  for (const [k, v] of Object.entries(value)) {
    const here = at ? `${at}.${k}` : k;
    if (CONTROL_CHARACTERS.test(k)) return here;
    const found = controlCharacterAt(v, here, depth + 1);
    if (found) return found;
  }
  return null;
}

/** App-wide, first: the address must decode and, like the query, hold no control character. */
export function rejectBadUrl(req: Request, _res: Response, next: NextFunction) {
  let path: string;
  try {
    path = decodeURIComponent(req.path);
  } catch {
    return next(new AppError(400, "malformed_url", "Địa chỉ không hợp lệ (mã hóa phần trăm sai)."));
  }
  if (CONTROL_CHARACTERS.test(path)) return next(controlCharacters("path"));
  let query: unknown;
  try {
    query = req.query;
  } catch {
    return next(new AppError(400, "malformed_url", "Địa chỉ không hợp lệ (mã hóa phần trăm sai)."));
  }
  const field = controlCharacterAt(query);
  next(field ? controlCharacters(field) : undefined);
}

/** After the body parsers: no control character in any field of the body. */
export function rejectControlCharactersInBody(req: Request, _res: Response, next: NextFunction) {
  const field = controlCharacterAt(req.body);
  next(field ? controlCharacters(field) : undefined);
}

/**
 * express.json's `verify`: refuses JSON nested deeper than MAX_JSON_DEPTH before it is parsed
 * (counting brackets outside strings), so a hostile body costs a scan, not a deep parse.
 * @throws AppError 400 json_too_deep
 */
export function limitJsonDepth(_req: unknown, _res: unknown, buf: Buffer) {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_JSON_DEPTH) throw new AppError(400, "json_too_deep", `JSON lồng quá ${MAX_JSON_DEPTH} tầng.`);
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
}

/**
 * Wraps a multer middleware: its limits keep their codes (413 payload_too_large, 400
 * invalid_upload), any other failure to read the body is 400 `malformed_multipart`; the parsed
 * fields are then checked for control characters.
 */
export function guardMultipart(upload: RequestHandler): RequestHandler {
  return (req, res, next) =>
    upload(req, res, (err?: unknown) => {
      if (!err) return rejectControlCharactersInBody(req, res, next);
      const code = (err as { code?: unknown; type?: unknown }).code;
      if (err instanceof AppError || (typeof code === "string" && code.startsWith("LIMIT_"))) return next(err);
      next(new AppError(400, "malformed_multipart", "Nội dung multipart/form-data không đọc được."));
    });
}
