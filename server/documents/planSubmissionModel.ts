/**
 * The view model of the Tờ trình submitting the year's list (or an amendment of it) to UBND tỉnh,
 * with the list as its annex: rows in the list's order, grouped by change in an amendment, totals in
 * figures and words. Pure.
 */
import type { DocumentBase } from "./types.js";
import { sumDong } from "../money/dong.js";
import type { PlanListGroup, PlanListRow, PlanSubmissionModel } from "./planTypes.js";
import { decisionRef, figures, formsLabel, inWords, quarterLabel, two, typeLabel } from "./planWords.js";

/** One item as submitted: its current version's content, the agency named, its part in an amendment. */
export type SubmittedItem = {
  title: string;
  type: string;
  forms: string[];
  /** The ordering or proposing agency, as it is named in the list. */
  agency: string;
  quarter: number;
  estimatedCost: number;
  change?: "add" | "change" | "cut";
  note?: string | null;
};

export type PlanSubmissionInput = Omit<DocumentBase, "asAbove"> & {
  year: number;
  kind: "initial" | "amendment";
  /** e.g. "Ủy ban nhân dân tỉnh Tuyên Quang". */
  province: string;
  bases: string[];
  /** Proposals received in the call (initial list). */
  received: number;
  /** In the list's order (ranked), and in an amendment every item it adds, changes or cuts. */
  items: SubmittedItem[];
  /** The decisions in force (amendment) and the list's total after the amendment. */
  inForce?: Array<{ number: string; date: string }>;
  totalAfter?: number;
  reason?: string | null;
};

const GROUPS: Array<{ change: SubmittedItem["change"]; heading: string }> = [
  { change: "add", heading: "I. NHIỆM VỤ BỔ SUNG" },
  { change: "change", heading: "II. NHIỆM VỤ ĐIỀU CHỈNH" },
  { change: "cut", heading: "III. NHIỆM VỤ ĐƯA RA KHỎI DANH MỤC" },
];

function rows(items: SubmittedItem[]): PlanListRow[] {
  return items.map((item, i) => ({
    no: String(i + 1),
    title: item.title,
    type: typeLabel(item.type),
    forms: formsLabel(item.forms),
    agency: item.agency,
    quarter: quarterLabel(item.quarter),
    cost: figures(item.estimatedCost),
    note: item.note ?? null,
  }));
}

function groups(input: PlanSubmissionInput): PlanListGroup[] {
  if (input.kind === "initial") return [{ heading: null, rows: rows(input.items), subtotal: null }];
  return GROUPS.map(({ change, heading }) => {
    const mine = input.items.filter((i) => (i.change ?? "add") === change);
    return { heading, rows: rows(mine), subtotal: figures(sumDong(mine.map((i) => i.estimatedCost))) };
  }).filter((g) => g.rows.length > 0);
}

/**
 * The Tờ trình's view model.
 * @throws ValidationError `invalid_amount` for a cost that is not whole đồng.
 */
export function buildPlanSubmissionModel(input: PlanSubmissionInput): PlanSubmissionModel {
  const { year, kind, province, bases, received, items, inForce = [], totalAfter, reason, ...base } = input;
  const listed = items.filter((i) => i.change !== "cut");
  const count = (pred: (i: SubmittedItem) => boolean) => two(items.filter(pred).length);
  const total = kind === "initial" ? sumDong(listed.map((i) => i.estimatedCost)) : (totalAfter ?? 0);
  return {
    ...base,
    asAbove: true,
    addressees: [province],
    year,
    amendment: kind === "amendment",
    bases,
    counts: {
      received: two(received),
      included: two(listed.length),
      consultancy: count((i) => i.type === "consultancy" && i.change !== "cut"),
      critique: count((i) => i.type === "critique" && i.change !== "cut"),
      assessment: count((i) => i.type === "assessment" && i.change !== "cut"),
      added: count((i) => i.change === "add"),
      changed: count((i) => i.change === "change"),
      cut: count((i) => i.change === "cut"),
    },
    inForce: inForce.map(decisionRef),
    reason: reason ?? null,
    groups: groups(input),
    total: figures(total),
    totalWords: inWords(total),
  };
}
