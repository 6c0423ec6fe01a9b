/**
 * The rules a payment record must keep before it is written (append-only; a mistake is reversed,
 * never edited): a non-zero whole-đồng amount, negative only for a reversal of a known payment of
 * the same payee; tax withheld of the same sign and not more than the amount; a real day; a
 * voucher number; an expert payee names the expert.
 */
import { ValidationError } from "../errors.js";
import { toDong } from "./dong.js";
import { isCalendarDay } from "./calendarDay.js";
import { RATE_ITEMS, type Payment } from "./types.js";

const fail = (code: string, message: string, field: string) => new ValidationError(code, message, field);

/**
 * Checks one payment against the payments already recorded.
 * @throws ValidationError `invalid_amount`, `invalid_date`, `voucher_required`, `payee_required`,
 *   `invalid_item`, `reversal_unknown` (reverses nothing recorded, another payee, or more than it).
 */
export function checkPayment(p: Payment, recorded: readonly Payment[]): void {
  const amount = toDong(p.amount, "amount");
  const tax = toDong(p.taxWithheld, "taxWithheld");
  if (amount === 0) throw fail("invalid_amount", "Số tiền phải khác 0.", "amount");
  if (Math.sign(tax) * Math.sign(amount) < 0 || Math.abs(tax) > Math.abs(amount)) {
    throw fail("invalid_amount", "Thuế khấu trừ không được vượt số tiền chi.", "taxWithheld");
  }
  if (!isCalendarDay(p.paidOn)) throw fail("invalid_date", "Ngày chi không hợp lệ.", "paidOn");
  if (!p.voucherNumber?.trim()) throw fail("voucher_required", "Cần số chứng từ.", "voucherNumber");
  if (!p.payee?.name?.trim() || (p.payee.kind === "expert" && !p.payee.expertId)) {
    throw fail("payee_required", "Cần người nhận.", "payee");
  }
  if (p.item !== "other" && !RATE_ITEMS.includes(p.item))
    throw fail("invalid_item", "Nội dung chi không hợp lệ.", "item");
  if (amount > 0 && p.reversesId === null) return;
  const original = recorded.find((r) => r.id === p.reversesId);
  const alreadyReversed = recorded.filter((r) => r.reversesId === p.reversesId).reduce((s, r) => s + r.amount, 0);
  if (
    amount > 0 ||
    !original ||
    original.amount < 0 ||
    original.payee.expertId !== p.payee.expertId ||
    original.payee.name !== p.payee.name ||
    original.amount + alreadyReversed + amount < 0
  ) {
    throw fail("reversal_unknown", "Bút toán đảo phải đảo một khoản chi đã ghi, của cùng người nhận.", "reversesId");
  }
}
