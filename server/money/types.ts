/**
 * The money of the work: rates (định mức chi) as organisation data, cost estimates (dự toán),
 * payments (chi trả) and the statements built from them. Plain data; amounts are whole đồng
 * (`Dong`, a checked safe integer), dates are Vietnam calendar days `YYYY-MM-DD`.
 */
import type { Dong } from "./dong.js";

/** What a rate pays for. Expert opinions vary by panel role; the other items do not. */
export const RATE_ITEMS = [
  "expert_opinion",
  "chairing",
  "secretary",
  "meeting_attendance",
  "report_drafting",
  "workshop_chairing",
  "workshop_paper",
  "workshop_attendance",
  "travel",
  "printing",
] as const;
export type RateItem = (typeof RATE_ITEMS)[number];

/** Roles on a panel that rates distinguish (chủ tịch, thư ký khoa học, ủy viên phản biện, ủy viên). */
export const RATE_ROLES = ["chair", "secretary", "reviewer", "member"] as const;
export type RateRole = (typeof RATE_ROLES)[number];

export type WorkForm = "council" | "expert_group" | "workshop" | "written";

/**
 * One row of the organisation's rates table: an amount for an item (and panel role), in force from
 * a day until another row for the same item and role takes over (or until `effectiveTo`,
 * inclusive), on a stated legal basis. Rows are never edited: a new resolution is a new row.
 */
export type Rate = {
  id: string;
  item: RateItem;
  role: RateRole | null;
  /** The item as the legal basis names it, e.g. "Bài nhận xét, phản biện của Ủy viên phản biện". */
  label: string;
  /** The unit the amount is for, e.g. "bài", "buổi", "người/buổi", "lượt", "bộ". */
  unit: string;
  amount: Dong;
  effectiveFrom: string;
  effectiveTo: string | null;
  /** e.g. "Nghị quyết số 12/2024/NQ-HĐND ngày 10/7/2024 của HĐND tỉnh". */
  legalBasis: string;
};

/** The work an estimate is for: the panel by role, the forms, and the quantities that are not implied. */
export type EstimateWork = {
  panel: Partial<Record<RateRole, number>>;
  forms: WorkForm[];
  /** Sessions of the council or expert group; default 1 when the forms include one, else 0. */
  meetings?: number;
  /** Workshop sessions (default 1), papers (default 0) and participants per session (default: the panel). */
  workshop?: { sessions?: number; papers?: number; participants?: number };
  /** Person-trips paid as travel (default 0). */
  travel?: number;
  /** Printed copies of the dossier and report (default 0). */
  printing?: number;
};

/** A change to the computed total, with the reason a reviewer reads. */
export type Adjustment = { label: string; amount: Dong; reason: string };

export type EstimateLine = {
  item: RateItem;
  role: RateRole | null;
  label: string;
  unit: string;
  quantity: number;
  unitAmount: Dong;
  amount: Dong;
  rateId: string;
  legalBasis: string;
};

export type Estimate = {
  /** The day whose rates apply. */
  on: string;
  lines: EstimateLine[];
  subtotal: Dong;
  adjustments: Adjustment[];
  total: Dong;
  /** The plan item's approved budget, when the assignment comes from the annual list. */
  budget: Dong | null;
  overBudget: boolean;
  /** The distinct legal bases of the rates used, in the order of the lines. */
  legalBases: string[];
};

export type PayeeKind = "expert" | "person" | "organization";

/**
 * One payment as recorded by the accountant, append-only: a mistake is corrected by a reversal
 * (negative amount, `reversesId` naming the payment) and, if needed, a new payment.
 */
export type Payment = {
  id: string;
  assignmentId: string | null;
  planItemId: string | null;
  payee: { kind: PayeeKind; expertId: string | null; name: string };
  item: RateItem | "other";
  description: string;
  amount: Dong;
  /** Personal income tax withheld (thuế TNCN khấu trừ), part of `amount`. */
  taxWithheld: Dong;
  paidOn: string;
  voucherNumber: string;
  reversesId: string | null;
};
