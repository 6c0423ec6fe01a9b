/**
 * An assignment's money page: its estimate (dự toán) in every version, the latest with its lines
 * from the rates, adjustments with their reasons and the total in words; the form for a new
 * version; the settlement statement (bảng kê chi thù lao chuyên gia); links to the .xlsx exports.
 */
import type { listEstimates, loadAssignmentMoney, loadSettlement } from "../../queries/moneyReads.js";
import type { Translate } from "./pageTypes.js";
import { formOf, type PlanFormState } from "./planFormFields.js";
import { formatMoney } from "./presentPlanPage.js";

type Estimates = Awaited<ReturnType<typeof listEstimates>>;
type Settlement = Awaited<ReturnType<typeof loadSettlement>>;
type MoneyDocuments = Awaited<ReturnType<typeof loadAssignmentMoney>>["documents"];

/** The issued PDF forms, and the buttons that issue a new one (when there is something to print). */
function moneyDocuments(e: Estimates, s: Settlement, docs: MoneyDocuments, mayIssue: boolean, t: Translate) {
  const base = `/assignments/${e.assignment.id}/money`;
  return {
    list: docs.map((d) => ({
      label: t(`documentType.${d.kind}`),
      createdAt: d.createdAt,
      href: d.status === "issued" ? `/api/v1/documents/${d.id}/pdf` : null,
      rendering: d.status !== "issued",
    })),
    estimateAction: mayIssue && e.versions.length ? `${base}/estimate-document` : null,
    settlementAction: mayIssue && s.rows.length ? `${base}/settlement-document` : null,
  };
}

const COUNTS = [
  "chair",
  "secretary",
  "reviewer",
  "member",
  "meetings",
  "sessions",
  "papers",
  "participants",
  "travel",
  "printing",
];
const FORMS = ["council", "expert_group", "workshop", "written"];
const ADJUSTMENT_ROWS = 3;

/** One version of the estimate. */
function version(v: Estimates["versions"][number], t: Translate) {
  return {
    version: v.version,
    ratesOn: v.ratesOn,
    createdAt: v.createdAt,
    reason: v.reason,
    lines: v.lines.map((l) => ({
      label: l.label,
      unit: l.unit,
      quantity: l.quantity,
      unitAmount: formatMoney(l.unitAmount),
      amount: formatMoney(l.amount),
    })),
    adjustments: v.adjustments.map((a) => ({ label: a.label, amount: formatMoney(a.amount), reason: a.reason })),
    subtotal: formatMoney(v.subtotal),
    total: formatMoney(v.total),
    budget: v.budget === null ? null : formatMoney(v.budget),
    overBudget: v.budget !== null && v.total > v.budget,
    totalInWords: v.totalInWords,
    statusLabel: t(`estimateStatus.${v.status}`),
  };
}

/** The form of a new estimate version, filled from the refused values or the latest version's work. */
function estimateForm(e: Estimates, state: PlanFormState, t: Translate) {
  const f = formOf(state, "estimate");
  const latest = e.versions[e.versions.length - 1];
  const work = (latest?.work ?? {}) as Record<string, unknown>;
  const panel = (work.panel ?? {}) as Record<string, unknown>;
  const ws = (work.workshop ?? {}) as Record<string, unknown>;
  const before: Record<string, unknown> = {
    ...panel,
    ...ws,
    meetings: work.meetings,
    travel: work.travel,
    printing: work.printing,
  };
  const values = Object.keys(f.values).length ? f.values : before;
  const chosen = Array.isArray(values.forms)
    ? values.forms
    : values.forms
      ? [values.forms]
      : ((work.forms as unknown[]) ?? []);
  return {
    action: `/assignments/${e.assignment.id}/money/estimate`,
    error: f.error,
    counts: COUNTS.map((name) => ({
      id: `est-${name}`,
      name,
      label: t(`estimateField.${name}`),
      kind: "number",
      min: "0",
      value: values[name] ?? "",
      error: f.errors[name],
    })),
    forms: FORMS.map((x) => ({ value: x, label: t(`form.${x}`), checked: chosen.includes(x) })),
    formsError: f.errors.forms,
    adjustments: Array.from({ length: ADJUSTMENT_ROWS }, (_x, i) => ({
      n: i + 1,
      label: f.values[`adjLabel${i}`] ?? "",
      amount: f.values[`adjAmount${i}`] ?? "",
      reason: f.values[`adjReason${i}`] ?? "",
    })),
    adjustmentsError: f.errors.adjustments,
    reason: {
      id: "est-reason",
      name: "reason",
      label: t("estimateField.reason"),
      kind: "textarea",
      value: f.values.reason ?? "",
    },
  };
}

/** The page model; `mayEstimate` when the actor prepares estimates. */
export function presentAssignmentMoney(
  e: Estimates,
  s: Settlement,
  can: { estimate: boolean; openAssignment: boolean; docs: MoneyDocuments },
  state: PlanFormState,
  t: Translate,
) {
  const { estimate: mayEstimate, docs } = can;
  const versions = e.versions.map((v) => version(v, t));
  return {
    title: t("money.assignmentTitle", { code: e.assignment.code }),
    assignment: { ...e.assignment, href: can.openAssignment ? `/assignments/${e.assignment.id}` : null },
    latest: versions[versions.length - 1] ?? null,
    older: versions.slice(0, -1).reverse(),
    form: mayEstimate ? estimateForm(e, state, t) : null,
    settlement: {
      rows: s.rows.map((r) => ({
        no: r.no,
        name: r.name,
        role: r.role,
        workplace: r.workplace,
        items: r.items.map((i) => ({ description: i.description, amount: formatMoney(i.amount) })),
        gross: formatMoney(r.gross),
        tax: formatMoney(r.tax),
        net: formatMoney(r.net),
      })),
      totals: { gross: formatMoney(s.totals.gross), tax: formatMoney(s.totals.tax), net: formatMoney(s.totals.net) },
      totalInWords: s.totalInWords,
    },
    estimateXlsx: versions.length ? `/api/v1/assignments/${e.assignment.id}/estimate.xlsx` : null,
    settlementXlsx: `/api/v1/assignments/${e.assignment.id}/settlement.xlsx`,
    pdfs: moneyDocuments(e, s, docs, mayEstimate, t),
    pdfError: state.form === "pdf" ? state.error : null,
  };
}
