/**
 * Amounts of money: whole Vietnamese đồng as safe integers. No floating point ever reaches an
 * amount: every function here checks its inputs and its result with `Number.isSafeInteger`, so an
 * overflow or a fraction is an error, never a silent rounding.
 *
 * Why `number` and not `bigint`: amounts travel through JSON (API answers, jsonb snapshots and
 * view models), zod, Handlebars and spreadsheets, all of which speak `number` and none of which
 * serialises a `bigint`. The largest safe integer, 9.007.199.254.740.991 đồng (about nine million
 * billion), is six orders of magnitude above a province's whole annual budget for this work, and
 * the checks turn anything beyond it into `invalid_amount`. PostgreSQL stores them as `bigint`.
 */
import { ValidationError } from "../errors.js";

/** An amount in whole đồng: a safe integer (negative only where a function says so). */
export type Dong = number;

function invalid(field: string, why: string): ValidationError {
  return new ValidationError("invalid_amount", `Số tiền không hợp lệ: ${why}.`, field);
}

/**
 * Checks that `value` is a whole number of đồng and returns it.
 * @throws ValidationError `invalid_amount` for anything but a safe integer (fractions, NaN, ±∞,
 *   strings, values beyond ±9.007.199.254.740.991).
 */
export function toDong(value: unknown, field = "amount"): Dong {
  if (typeof value !== "number" || !Number.isFinite(value)) throw invalid(field, "không phải là số");
  if (!Number.isInteger(value)) throw invalid(field, "số tiền phải là số nguyên đồng");
  if (!Number.isSafeInteger(value)) throw invalid(field, "số tiền quá lớn");
  return value === 0 ? 0 : value; // -0 becomes 0
}

/**
 * Like `toDong`, and the amount may not be negative.
 * @throws ValidationError `invalid_amount`.
 */
export function toNonNegativeDong(value: unknown, field = "amount"): Dong {
  const amount = toDong(value, field);
  if (amount < 0) throw invalid(field, "số tiền không được âm");
  return amount;
}

/**
 * The exact sum of amounts. The sum of exact integers is exact while it stays a safe integer;
 * beyond that it is refused.
 * @throws ValidationError `invalid_amount` for a bad amount or a total beyond the safe range.
 */
export function sumDong(amounts: readonly Dong[], field = "total"): Dong {
  let total = 0;
  for (const amount of amounts) {
    total += toDong(amount, field);
    if (!Number.isSafeInteger(total)) throw invalid(field, "tổng số tiền quá lớn");
  }
  return total === 0 ? 0 : total;
}

/**
 * `unitAmount × quantity` for a whole, non-negative quantity (persons, sessions, copies).
 * @throws ValidationError `invalid_amount` for a bad amount or a product beyond the safe range;
 *   `invalid_quantity` for a fractional or negative quantity.
 */
export function timesDong(unitAmount: Dong, quantity: number, field = "amount"): Dong {
  toDong(unitAmount, field);
  if (!Number.isSafeInteger(quantity) || quantity < 0) {
    throw new ValidationError("invalid_quantity", "Số lượng phải là số nguyên không âm.", "quantity");
  }
  const product = unitAmount * quantity;
  if (!Number.isSafeInteger(product)) throw invalid(field, "thành tiền quá lớn");
  return product === 0 ? 0 : product;
}

/**
 * Figures the Vietnamese way: dots between thousands, no decimals, a minus sign for a negative
 * amount, and the unit after a space (`1.234.567 đồng`; `unit: ""` gives `1.234.567`).
 * @throws ValidationError `invalid_amount` for anything but a safe integer.
 */
export function formatDong(amount: Dong, unit = "đồng"): string {
  const value = toDong(amount);
  const digits = String(Math.abs(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  return `${value < 0 ? "-" : ""}${digits}${unit ? ` ${unit}` : ""}`;
}

/**
 * Reads an amount typed by a person: `1.234.567`, `1 234 567`, `1234567`, `1.234.567 đồng`,
 * `-50.000`. Dots and spaces group thousands; a comma or a dot followed by other than three
 * digits is a decimal mark and is refused, since amounts are whole đồng.
 * @throws ValidationError `invalid_amount` for anything else.
 */
export function parseDong(text: string, field = "amount"): Dong {
  const trimmed = text
    .trim()
    .replace(/\s*(đồng|đ|vnđ|vnd)$/iu, "")
    .trim();
  const match = /^(-?)(\d{1,3}(?:[.\s\u00a0]\d{3})+|\d+)$/u.exec(trimmed);
  if (!match) throw invalid(field, `"${text}" không phải là số tiền nguyên đồng`);
  const digits = match[2].replace(/[.\s\u00a0]/gu, "");
  const value = Number(`${match[1]}${digits}`);
  if (!Number.isSafeInteger(value)) throw invalid(field, "số tiền quá lớn");
  return value === 0 ? 0 : value;
}
