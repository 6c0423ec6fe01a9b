/**
 * Amounts in Vietnamese words, as official and accounting documents require ("Bằng chữ: Một triệu
 * hai trăm ba mươi bốn nghìn năm trăm sáu mươi bảy đồng."). The conventions:
 *
 * - tens: `mười` for 1, `<digit> mươi` from 2 (`hai mươi`);
 * - units after a tens word: `mốt` for 1 from twenty on (`hai mươi mốt`, but `mười một`), `lăm`
 *   for 5 (`mười lăm`, `hai mươi lăm`); a 4 stays `bốn` as accounts write it (`ba mươi bốn`), and
 *   an organisation that writes `tư` from twenty on (`hai mươi tư`) sets the option `four`;
 * - a zero tens digit before a unit: `linh` (northern, default) or `lẻ` (`một trăm linh năm`);
 * - a group of three after a higher non-zero part says its hundreds even when zero
 *   (`một nghìn không trăm linh năm`); groups that are all zeros are skipped (`một triệu năm trăm`);
 * - scales `nghìn` (or `ngàn`), `triệu`, `tỷ` (or `tỉ`); beyond a thousand million the count of
 *   `tỷ` is itself spelled (`năm nghìn hai trăm tỷ`, `một tỷ tỷ`).
 */
import { ValidationError } from "../errors.js";

/** Regional and house choices; the defaults are the northern, formal ones. */
export interface SpellOptions {
  /** Word for a zero tens digit before a unit: `linh` (default) or `lẻ`. */
  zeroTens?: "linh" | "lẻ";
  /** Word for a 4 after `mươi`: `bốn` (default, `ba mươi bốn`) or `tư` (`hai mươi tư`). */
  four?: "tư" | "bốn";
  /** Word for a thousand: `nghìn` (default) or `ngàn`. */
  thousand?: "nghìn" | "ngàn";
  /** Word for a thousand million: `tỷ` (default) or `tỉ`. */
  billion?: "tỷ" | "tỉ";
}

const DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"];
const BILLION = 1_000_000_000n;

type Words = Required<SpellOptions>;

function unitAfterTens(unit: number, tens: number, words: Words): string {
  if (unit === 5) return "lăm";
  if (unit === 1 && tens >= 2) return "mốt";
  if (unit === 4 && tens >= 2) return words.four;
  return DIGITS[unit];
}

/** One group of three digits; `full` says the hundreds even when zero (a higher part precedes). */
function spellGroup(group: number, full: boolean, words: Words): string[] {
  const hundreds = Math.floor(group / 100);
  const tens = Math.floor(group / 10) % 10;
  const unit = group % 10;
  const out: string[] = [];
  if (hundreds > 0 || full) out.push(DIGITS[hundreds], "trăm");
  if (tens === 0) {
    if (unit > 0 && out.length > 0) out.push(words.zeroTens);
    if (unit > 0) out.push(DIGITS[unit]);
  } else {
    out.push(...(tens === 1 ? ["mười"] : [DIGITS[tens], "mươi"]));
    if (unit > 0) out.push(unitAfterTens(unit, tens, words));
  }
  return out;
}

/** Below a thousand million: triệu, nghìn and units groups, zero groups skipped. */
function spellBelowBillion(n: number, full: boolean, words: Words): string[] {
  const groups: Array<[number, string | null]> = [
    [Math.floor(n / 1_000_000), "triệu"],
    [Math.floor(n / 1000) % 1000, words.thousand],
    [n % 1000, null],
  ];
  const out: string[] = [];
  for (const [group, scale] of groups) {
    if (group === 0) continue;
    out.push(...spellGroup(group, full || out.length > 0, words));
    if (scale) out.push(scale);
  }
  return out;
}

function spellWords(n: bigint, full: boolean, words: Words): string[] {
  if (n < BILLION) return spellBelowBillion(Number(n), full, words);
  const rest = n % BILLION;
  const out = [...spellWords(n / BILLION, full, words), words.billion];
  if (rest > 0n) out.push(...spellBelowBillion(Number(rest), true, words));
  return out;
}

/**
 * A whole non-negative number in Vietnamese words, lower case, no unit:
 * `spellNumber(1_234_567)` → "một triệu hai trăm ba mươi bốn nghìn năm trăm sáu mươi bảy".
 * A `bigint` may go beyond the safe integers (`10n ** 18n` → "một tỷ tỷ").
 * @throws ValidationError `invalid_amount` for a negative, fractional or unsafe number.
 */
export function spellNumber(value: number | bigint, options: SpellOptions = {}): string {
  if (typeof value === "number" && (!Number.isSafeInteger(value) || value < 0)) {
    throw new ValidationError("invalid_amount", "Chỉ đọc được số nguyên không âm thành chữ.", "amount");
  }
  const n = BigInt(value);
  if (n < 0n) throw new ValidationError("invalid_amount", "Chỉ đọc được số nguyên không âm thành chữ.", "amount");
  if (n === 0n) return DIGITS[0];
  const words: Words = { zeroTens: "linh", four: "bốn", thousand: "nghìn", billion: "tỷ", ...options };
  return spellWords(n, false, words).join(" ");
}

/**
 * An amount in words with a capital first letter and the unit, as printed after "Bằng chữ:":
 * `spellDong(1_234_567)` → "Một triệu hai trăm ba mươi bốn nghìn năm trăm sáu mươi bảy đồng".
 * @throws ValidationError `invalid_amount` for a negative, fractional or unsafe amount.
 */
export function spellDong(amount: number | bigint, options: SpellOptions & { unit?: string } = {}): string {
  const { unit = "đồng", ...rest } = options;
  const text = `${spellNumber(amount, rest)}${unit ? ` ${unit}` : ""}`;
  return text.charAt(0).toLocaleUpperCase("vi") + text.slice(1);
}
