/**
 * Builds an assignment's cost estimate (dự toán kinh phí) from the rates in force on a day, the
 * panel (roles and counts) and the forms of work. Pure: rates come in as data, nothing is read.
 *
 * The lines: a written opinion from every panel member by role (council, expert group, written
 * opinions); per session of a council or expert group, chairing, the secretary and the other
 * members' attendance; one consolidated report; for a workshop, chairing per session, papers and
 * participants' attendance; travel and printing when asked for. Lines with nothing to pay are left
 * out; adjustments (with reasons) come after the subtotal.
 */
import { ValidationError } from "../errors.js";
import { sumDong, timesDong, toDong } from "./dong.js";
import { rateInForce } from "./rateInForce.js";
import {
  RATE_ROLES,
  type Adjustment,
  type Estimate,
  type EstimateLine,
  type EstimateWork,
  type Rate,
  type RateItem,
  type RateRole,
} from "./types.js";

export type EstimateInput = EstimateWork & {
  /** The day whose rates apply (e.g. the day the plan is submitted). */
  on: string;
  rates: readonly Rate[];
  adjustments?: Adjustment[];
  /** The plan item's approved budget, if the assignment comes from the annual list. */
  budget?: number | null;
};

const FORMS = ["council", "expert_group", "workshop", "written"];

function count(value: number | undefined, fallback: number, field: string): number {
  const n = value ?? fallback;
  if (!Number.isSafeInteger(n) || n < 0 || n > 10_000) {
    throw new ValidationError("invalid_quantity", "Số lượng phải là số nguyên từ 0 đến 10.000.", field);
  }
  return n;
}

/** Quantities per item (and role), defaults filled in. */
function quantities(work: EstimateWork): Array<[RateItem, RateRole | null, number]> {
  if (!work.forms?.length || !work.forms.every((f) => FORMS.includes(f))) {
    throw new ValidationError("invalid_forms", "Hình thức thực hiện không hợp lệ.", "forms");
  }
  const panel = Object.fromEntries(RATE_ROLES.map((r) => [r, count(work.panel?.[r], 0, `panel.${r}`)])) as Record<
    RateRole,
    number
  >;
  const size = RATE_ROLES.reduce((s, r) => s + panel[r], 0);
  const meets = work.forms.includes("council") || work.forms.includes("expert_group");
  const writes = meets || work.forms.includes("written");
  if (writes && size === 0)
    throw new ValidationError("empty_panel", "Chưa có thành viên hội đồng, tổ chuyên gia.", "panel");
  const meetings = count(work.meetings, meets ? 1 : 0, "meetings");
  const ws = work.forms.includes("workshop");
  const sessions = ws ? count(work.workshop?.sessions, 1, "workshop.sessions") : 0;
  const participants = ws ? count(work.workshop?.participants, size, "workshop.participants") : 0;
  return [
    ...RATE_ROLES.map((r) => ["expert_opinion", r, writes ? panel[r] : 0] as [RateItem, RateRole, number]),
    ["chairing", null, panel.chair > 0 ? meetings : 0],
    ["secretary", null, panel.secretary > 0 ? meetings : 0],
    ["meeting_attendance", null, meetings * (panel.member + panel.reviewer)],
    ["report_drafting", null, 1],
    ["workshop_chairing", null, sessions],
    ["workshop_paper", null, ws ? count(work.workshop?.papers, 0, "workshop.papers") : 0],
    ["workshop_attendance", null, sessions * participants],
    ["travel", null, count(work.travel, 0, "travel")],
    ["printing", null, count(work.printing, 0, "printing")],
  ];
}

function checkAdjustments(adjustments: Adjustment[]): Adjustment[] {
  return adjustments.map((a, i) => {
    if (!a.label?.trim() || !a.reason?.trim()) {
      throw new ValidationError(
        "adjustment_reason_required",
        "Điều chỉnh phải có nội dung và lý do.",
        `adjustments.${i}`,
      );
    }
    if (toDong(a.amount, `adjustments.${i}.amount`) === 0) {
      throw new ValidationError("invalid_amount", "Số tiền điều chỉnh phải khác 0.", `adjustments.${i}.amount`);
    }
    return { label: a.label.trim(), amount: a.amount, reason: a.reason.trim() };
  });
}

/**
 * The estimate for the given work with the rates in force on `on`.
 * @throws ValidationError `invalid_date`, `rate_missing`, `rate_ambiguous` (the rates table),
 *   `invalid_forms`, `empty_panel`, `invalid_quantity`, `invalid_amount`,
 *   `adjustment_reason_required`, `estimate_negative` (adjustments below zero).
 */
export function buildEstimate(input: EstimateInput): Estimate {
  const lines: EstimateLine[] = [];
  for (const [item, role, quantity] of quantities(input)) {
    if (quantity === 0) continue;
    const rate = rateInForce(input.rates, item, role, input.on);
    const { label, unit, amount: unitAmount, id: rateId, legalBasis } = rate;
    lines.push({
      item,
      role,
      label,
      unit,
      quantity,
      unitAmount,
      amount: timesDong(unitAmount, quantity),
      rateId,
      legalBasis,
    });
  }
  const adjustments = checkAdjustments(input.adjustments ?? []);
  const subtotal = sumDong(lines.map((l) => l.amount));
  const total = sumDong([subtotal, ...adjustments.map((a) => a.amount)]);
  if (total < 0)
    throw new ValidationError("estimate_negative", "Tổng dự toán sau điều chỉnh không được âm.", "adjustments");
  const budget = input.budget === undefined || input.budget === null ? null : toDong(input.budget, "budget");
  return {
    on: input.on,
    lines,
    subtotal,
    adjustments,
    total,
    budget,
    overBudget: budget !== null && total > budget,
    legalBases: [...new Set(lines.map((l) => l.legalBasis))],
  };
}
