/**
 * Which rate applies on a day. A rate is in force from `effectiveFrom` until `effectiveTo`
 * (inclusive) if it has one; where several rows for the same item and role are in force, the one
 * that took effect last wins, so a new resolution is a new row and older rows are never edited.
 */
import { ValidationError } from "../errors.js";
import { isCalendarDay } from "./calendarDay.js";
import type { Rate, RateItem, RateRole } from "./types.js";

const inForce = (rate: Rate, on: string) => rate.effectiveFrom <= on && (!rate.effectiveTo || on <= rate.effectiveTo);

/**
 * The rate for `item` (and `role`, for expert opinions) in force on `on`.
 * @throws ValidationError `invalid_date` for a day that is not `YYYY-MM-DD`; `rate_missing` when no
 *   row is in force; `rate_ambiguous` when two rows took effect the same day.
 */
export function rateInForce(rates: readonly Rate[], item: RateItem, role: RateRole | null, on: string): Rate {
  if (!isCalendarDay(on)) throw new ValidationError("invalid_date", `Ngày không hợp lệ: ${on}.`, "on");
  const candidates = rates
    .filter((r) => r.item === item && (r.role ?? null) === role && inForce(r, on))
    .sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? 1 : a.effectiveFrom > b.effectiveFrom ? -1 : 0));
  if (candidates.length === 0) {
    throw new ValidationError(
      "rate_missing",
      `Chưa có định mức chi cho "${item}${role ? ` (${role})` : ""}" có hiệu lực ngày ${on}.`,
      "rates",
      { item, role, on },
    );
  }
  if (candidates.length > 1 && candidates[0].effectiveFrom === candidates[1].effectiveFrom) {
    throw new ValidationError(
      "rate_ambiguous",
      `Có hai định mức chi cho "${item}" cùng có hiệu lực từ ngày ${candidates[0].effectiveFrom}.`,
      "rates",
      { item, role, ids: [candidates[0].id, candidates[1].id] },
    );
  }
  return candidates[0];
}

/**
 * Checks a rates table as an organisation enters it: whole-đồng amounts ≥ 0, real days, an end not
 * before the start, a label, a unit and a legal basis, and no two rows for the same item and role
 * taking effect the same day. Returns the problems found (empty when the table is sound).
 */
export function rateTableProblems(rates: readonly Rate[]): Array<{ id: string; code: string }> {
  const problems: Array<{ id: string; code: string }> = [];
  const seen = new Map<string, string>();
  for (const r of rates) {
    if (!Number.isSafeInteger(r.amount) || r.amount < 0) problems.push({ id: r.id, code: "invalid_amount" });
    if (!isCalendarDay(r.effectiveFrom) || (r.effectiveTo !== null && !isCalendarDay(r.effectiveTo))) {
      problems.push({ id: r.id, code: "invalid_date" });
    } else if (r.effectiveTo !== null && r.effectiveTo < r.effectiveFrom) {
      problems.push({ id: r.id, code: "ends_before_start" });
    }
    if (!r.label?.trim() || !r.unit?.trim() || !r.legalBasis?.trim()) problems.push({ id: r.id, code: "missing_text" });
    if ((r.item === "expert_opinion") !== (r.role !== null)) problems.push({ id: r.id, code: "role_mismatch" });
    const key = `${r.item}|${r.role ?? ""}|${r.effectiveFrom}`;
    if (seen.has(key)) problems.push({ id: r.id, code: "same_start" });
    seen.set(key, r.id);
  }
  return problems;
}
