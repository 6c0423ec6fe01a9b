/** What makes a password strong enough for an administrator or an operator. */
import { ValidationError } from "../errors.js";

/** The shortest password accepted for an administrator or an operator. */
export const MIN_PASSWORD_LENGTH = 12;

const COMMON = ["password", "matkhau", "123456", "qwerty", "admin", "tvpb", "abc123", "letmein", "111111"];

/** Why the password is too weak (a sentence in Vietnamese), or null when it is strong enough. */
export function passwordWeakness(password: string, email = ""): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `Mật khẩu phải có ít nhất ${MIN_PASSWORD_LENGTH} ký tự.`;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3 && password.length < 20)
    return "Mật khẩu phải có ít nhất ba trong bốn loại: chữ thường, chữ hoa, chữ số, ký hiệu (hoặc dài từ 20 ký tự).";
  const lower = password.toLowerCase();
  const local = email.split("@")[0]?.toLowerCase() ?? "";
  if (local.length >= 4 && lower.includes(local)) return "Mật khẩu không được chứa tên trong địa chỉ thư điện tử.";
  if (COMMON.some((c) => lower.includes(c)) && password.length < 20)
    return "Mật khẩu chứa một chuỗi quá phổ biến (password, 123456, admin…).";
  if (new Set(password).size < 6) return "Mật khẩu lặp lại quá ít ký tự khác nhau.";
  return null;
}

/**
 * Refuses a weak password.
 * @throws ValidationError weak_password (field `password`, or the one named)
 */
export function assertStrongPassword(password: string, email = "", field = "password"): void {
  const why = passwordWeakness(password, email);
  if (why) throw new ValidationError("weak_password", why, field);
}
