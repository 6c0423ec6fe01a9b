/**
 * Pure formatting helpers for official documents (Decree 30/2020/NĐ-CP): the number line, the
 * place-and-date line, weekdays and times of day, Vietnam-time ISO stamps, money and roman numerals.
 * No I/O, no clock: every date is passed in.
 */
import { ValidationError } from "../errors.js";

/** Vietnam has one time zone, UTC+7, and no daylight saving time. */
const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;

/** Pads 1..9 to "01".."09" (Decree 30: numbers, days and months below 10 take a leading zero). */
export function pad2(n: number): string {
  return n < 10 && n >= 0 ? `0${n}` : String(n);
}

export interface DocumentNumberParts {
  /** The register number; `null`/`undefined` for a draft, which prints a blank number. */
  number?: number | null;
  /** Type abbreviation (QĐ, BC, GM, BB, KH, TB…); absent for a letter (công văn). */
  typeAbbr?: string;
  /** The issuer's abbreviation, e.g. "LHH". */
  issuerAbbr: string;
  /** The drafting unit's abbreviation for letters, e.g. "TVPB". */
  unitAbbr?: string;
  /**
   * A confidential document: numbered in its own register (Decree 30/2020, art. 15(2)), so its
   * symbol ends in `/M` (this product's choice, not a rule) to keep number and symbol unique in the
   * year as art. 15(1) requires.
   */
  confidential?: boolean;
}

/** The suffix of a confidential document's symbol (see server/documents/README.md, "Confidential documents"). */
export const CONFIDENTIAL_SYMBOL_SUFFIX = "/M";

/**
 * The number line: `Số: 07/BC-LHH` for a titled document, `Số: 37/LHH-TVPB` for a letter, and
 * `Số:      /BC-LHH` (blank number) for a draft; a confidential one ends in `/M` (`Số: 01/QĐ-LHH/M`).
 * @throws ValidationError `invalid_document_number` when the number is not a positive integer, or
 *   `missing_abbreviation` when a letter has no unit abbreviation or the issuer is blank.
 */
export function formatDocumentNumber(parts: DocumentNumberParts): string {
  const { number, typeAbbr, issuerAbbr, unitAbbr, confidential } = parts;
  if (!issuerAbbr?.trim()) {
    throw new ValidationError("missing_abbreviation", "Thiếu ký hiệu cơ quan ban hành.", "issuerAbbr");
  }
  let symbol: string;
  if (typeAbbr?.trim()) {
    symbol = `${typeAbbr.trim()}-${issuerAbbr.trim()}`;
  } else {
    if (!unitAbbr?.trim()) {
      throw new ValidationError("missing_abbreviation", "Công văn cần ký hiệu đơn vị soạn thảo.", "unitAbbr");
    }
    symbol = `${issuerAbbr.trim()}-${unitAbbr.trim()}`;
  }
  if (confidential) symbol += CONFIDENTIAL_SYMBOL_SUFFIX;
  if (number === null || number === undefined) return `Số:      /${symbol}`;
  if (!Number.isInteger(number) || number < 1) {
    throw new ValidationError("invalid_document_number", "Số văn bản phải là số nguyên dương.", "number");
  }
  return `Số: ${pad2(number)}/${symbol}`;
}

/** The calendar fields of `date` as seen on a wall clock in Vietnam. */
export function vietnamParts(date: Date): {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
} {
  const t = date.getTime();
  if (Number.isNaN(t)) throw new ValidationError("invalid_date", "Ngày không hợp lệ.");
  const v = new Date(t + VIETNAM_OFFSET_MS);
  return {
    year: v.getUTCFullYear(),
    month: v.getUTCMonth() + 1,
    day: v.getUTCDate(),
    hour: v.getUTCHours(),
    minute: v.getUTCMinutes(),
    second: v.getUTCSeconds(),
  };
}

/**
 * The Vietnamese date phrase `ngày 05 tháng 01 năm 2026`, computed in Vietnam time.
 * @throws ValidationError `invalid_date` for an invalid Date.
 */
export function formatVietnameseDate(date: Date): string {
  const { year, month, day } = vietnamParts(date);
  return `ngày ${pad2(day)} tháng ${pad2(month)} năm ${year}`;
}

/**
 * The place-and-date line: `Hà Giang, ngày 05 tháng 01 năm 2026` (Vietnam time). A draft may pass
 * `null` to print `Hà Giang, ngày      tháng      năm 2026` with blanks for the signer to fill.
 * @throws ValidationError `invalid_date` for an invalid Date.
 */
export function formatDateLine(place: string, date: Date | null, draftYear?: number): string {
  if (date === null) {
    return `${place}, ngày      tháng      năm ${draftYear ?? ""}`.trimEnd();
  }
  return `${place}, ${formatVietnameseDate(date)}`;
}

const WEEKDAYS = ["Chủ nhật", "thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy"];

/**
 * The weekday and date of a meeting: `thứ Sáu, ngày 20 tháng 03 năm 2026` (Vietnam time).
 * @throws ValidationError `invalid_date` for an invalid Date.
 */
export function formatWeekdayDate(date: Date): string {
  const weekday = new Date(date.getTime() + VIETNAM_OFFSET_MS).getUTCDay();
  return `${WEEKDAYS[weekday]}, ${formatVietnameseDate(date)}`;
}

/** The time of day as documents write it: `08 giờ 30` (Vietnam time). @throws ValidationError `invalid_date` */
export function formatTimeOfDay(date: Date): string {
  const p = vietnamParts(date);
  return `${pad2(p.hour)} giờ ${pad2(p.minute)}`;
}

/** `05/01/2026` in Vietnam time, for dates quoted inside a text ("Công văn số … ngày 05/01/2026"). */
export function formatShortDate(date: Date): string {
  const { year, month, day } = vietnamParts(date);
  return `${pad2(day)}/${pad2(month)}/${year}`;
}

/**
 * ISO 8601 with the Vietnam offset, e.g. `2026-01-05T09:30:00+07:00` (the signing time printed
 * on issued documents). @throws ValidationError `invalid_date` for an invalid Date.
 */
export function vietnamTimeIso(date: Date): string {
  const p = vietnamParts(date);
  return `${p.year}-${pad2(p.month)}-${pad2(p.day)}T${pad2(p.hour)}:${pad2(p.minute)}:${pad2(p.second)}+07:00`;
}

/**
 * Money the Vietnamese way: `1.250.000 đồng` (dot as thousands separator, no decimals).
 * @throws ValidationError `invalid_amount` for a non-finite amount.
 */
export function formatMoney(amount: number, unit = "đồng"): string {
  if (!Number.isFinite(amount)) throw new ValidationError("invalid_amount", "Số tiền không hợp lệ.");
  const rounded = Math.round(amount);
  const digits = String(Math.abs(rounded)).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  return `${rounded < 0 ? "-" : ""}${digits}${unit ? ` ${unit}` : ""}`;
}

/**
 * Roman numerals for section headings (I, II, III, IV…).
 * @throws ValidationError `invalid_number` outside 1..3999.
 */
export function toRoman(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 3999) {
    throw new ValidationError("invalid_number", "Số La Mã chỉ từ 1 đến 3999.");
  }
  const table: Array<[number, string]> = [
    [1000, "M"],
    [900, "CM"],
    [500, "D"],
    [400, "CD"],
    [100, "C"],
    [90, "XC"],
    [50, "L"],
    [40, "XL"],
    [10, "X"],
    [9, "IX"],
    [5, "V"],
    [4, "IV"],
    [1, "I"],
  ];
  let rest = n;
  let out = "";
  for (const [value, sym] of table) {
    while (rest >= value) {
      out += sym;
      rest -= value;
    }
  }
  return out;
}
