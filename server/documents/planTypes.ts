/**
 * View models of the year's plan and money documents. Templates see only these plain objects, with
 * every amount already written the Vietnamese way (figures and words) by the builders in this
 * folder; everything the organisation names comes from `org` (server/documents/types.ts).
 */
import type { DocumentBase } from "./types.js";

/** The documents of the year's plan and money (part of `DOCUMENT_KINDS`); one `.hbs` each. */
export type PlanDocumentKind = keyof PlanDocumentModels;

/** One row of the list (the Tờ trình's annex). */
export interface PlanListRow {
  no: string;
  title: string;
  type: string;
  forms: string;
  agency: string;
  quarter: string;
  cost: string;
  note: string | null;
}

export interface PlanListGroup {
  /** e.g. "I. NHIỆM VỤ BỔ SUNG" in an amendment; null for the single group of the initial list. */
  heading: string | null;
  rows: PlanListRow[];
  subtotal: string | null;
}

/** Tờ trình to UBND tỉnh submitting the list (or an amendment), with the list as its annex. */
export interface PlanSubmissionModel extends DocumentBase {
  addressees: string[];
  year: number;
  amendment: boolean;
  bases: string[];
  /** Counts, two digits: received, included, consultancy, critique, assessment, added, changed, cut. */
  counts: Record<string, string>;
  /** Decisions in force, quoted in an amendment: "Quyết định số 245/QĐ-UBND ngày 15/01/2027". */
  inForce: string[];
  reason: string | null;
  groups: PlanListGroup[];
  total: string;
  totalWords: string;
}

export interface ExecutionRow {
  no: string;
  title: string;
  quarter: string;
  status: string;
  approved: string;
  spent: string;
  remaining: string;
}

/** The year's execution report: planned vs done vs carried over; approved vs spent. */
export interface PlanExecutionReportModel extends DocumentBase {
  year: number;
  bases: string[];
  /** "Quyết định số 245/QĐ-UBND ngày 15/01/2027" for the list and each amendment. */
  decisions: string[];
  counts: Record<string, string>;
  rows: ExecutionRow[];
  totals: { approved: string; spent: string; remaining: string; spentWords: string; approvedWords: string };
  evaluation: string[];
  proposals: string[];
}

/** People who sign a financial statement next to the head of the organisation. */
export interface FinanceSigners {
  /** Who drew it up (người lập), e.g. "Đỗ Thị Lan". */
  preparedBy: string;
  /** The accountant (kế toán), e.g. "Hoàng Thị Mai". */
  accountant: string;
}

export interface EstimateRow {
  no: string;
  label: string;
  unit: string;
  quantity: string;
  unitAmount: string;
  amount: string;
}

/** An assignment's cost estimate (dự toán kinh phí). */
export interface CostEstimateModel extends DocumentBase, FinanceSigners {
  /** e.g. "Phản biện Đề án phát triển cây dược liệu tỉnh …". */
  subject: string;
  orderingAgency: string;
  form: string;
  rows: EstimateRow[];
  subtotal: string;
  adjustments: Array<{ label: string; amount: string; reason: string }>;
  total: string;
  totalWords: string;
  bases: string[];
  /** "Kinh phí được duyệt trong danh mục: 45.000.000 đồng" when the assignment is on the list. */
  budget: string | null;
}

export interface SettlementRowModel {
  no: string;
  name: string;
  role: string;
  items: string[];
  gross: string;
  tax: string;
  net: string;
}

/** Bảng kê chi thù lao chuyên gia: the lines the experts sign. */
export interface FeeSettlementModel extends DocumentBase, FinanceSigners {
  subject: string;
  /** "Hội đồng thành lập theo Quyết định số 05/QĐ-LHH ngày 12/01/2027", if a panel decision exists. */
  panelDecision: string | null;
  rows: SettlementRowModel[];
  totals: { gross: string; tax: string; net: string };
  totalWords: string;
  vouchers: string;
}

export interface PlanDocumentModels {
  planSubmission: PlanSubmissionModel;
  planExecutionReport: PlanExecutionReportModel;
  costEstimate: CostEstimateModel;
  feeSettlement: FeeSettlementModel;
}
