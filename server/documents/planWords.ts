/**
 * Words and figures the plan documents print, from the one catalogue of words
 * (server/words/catalogue.ts) and the money room: quarters, types, forms, statuses, amounts, and
 * references to decisions. Official documents are in Vietnamese whatever the reader's locale.
 */
import { toRoman } from "./format.js";
import { formatDong } from "../money/dong.js";
import { spellDong } from "../money/spellDong.js";
import { label, translate } from "../words/catalogue.js";

/** "Quý II". */
export const quarterLabel = (q: number) => translate("vi", "plan.quarter", { roman: toRoman(q), n: q });

/** "Phản biện". */
export const typeLabel = (type: string) => label("type", type, "vi");

/** "Hội đồng, hội thảo": the forms in one phrase. */
export function formsLabel(forms: readonly string[]): string {
  return forms
    .map((f, i) => {
      const word = label("form", f, "vi");
      return i === 0 ? word : word.charAt(0).toLocaleLowerCase("vi") + word.slice(1);
    })
    .join(", ");
}

/** "Hoàn thành", "Chuyển sang năm sau"… */
export const itemStatusLabel = (status: string) => label("planItemStatus", status, "vi");

/** Counts on two digits, as official documents write them ("05 nhiệm vụ"). */
export const two = (n: number) => (n >= 0 && n < 10 ? `0${n}` : String(n));

/** Figures without the unit, for table cells: "45.000.000". */
export const figures = (amount: number) => formatDong(amount, "");

/** "Bốn mươi lăm triệu đồng", for "Bằng chữ: …". */
export const inWords = (amount: number) => spellDong(amount);

/** `2027-01-15` → `15/01/2027`. */
export function dayMonthYear(day: string): string {
  const [y, m, d] = day.slice(0, 10).split("-");
  return `${d}/${m}/${y}`;
}

/** "Quyết định số 245/QĐ-UBND ngày 15/01/2027". */
export const decisionRef = (d: { number: string; date: string }) =>
  `Quyết định số ${d.number} ngày ${dayMonthYear(d.date)}`;
