/**
 * The accountant's pages as view models: the rates table with its add form, the year's payments
 * with the record and reversal forms, and an expert's statement of the year. Amounts in whole
 * đồng written the Vietnamese way; items and roles in words; no codes.
 */
import { RATE_ITEMS, RATE_ROLES } from "../../money/types.js";
import type { listRates } from "../../queries/listRates.js";
import type { listPayments, loadExpertStatement } from "../../queries/moneyReads.js";
import type { listMoneyChoices } from "../../queries/listMoneyChoices.js";
import type { Translate } from "./pageTypes.js";
import { formOf, type PlanFormState } from "./planFormFields.js";
import { formatMoney } from "./presentPlanPage.js";

type Field = { id: string; name: string; label: string; kind: string; required?: boolean; value?: unknown };

/** A field of a money form, filled from the refused values. */
function fieldOf(prefix: string, f: ReturnType<typeof formOf>, t: Translate) {
  return (name: string, kind: string, required = true, extra: object = {}): Field & { error?: string } => ({
    id: `${prefix}-${name}`,
    name,
    label: t(`moneyField.${name}`),
    kind,
    required,
    value: f.values[name] ?? "",
    error: f.errors[name],
    ...extra,
  });
}

const options = (values: readonly string[], group: string, chosen: unknown, t: Translate) =>
  values.map((v) => ({ value: v, label: t(`${group}.${v}`), selected: chosen === v }));

/** The rates page. */
export function presentRates(
  rows: Awaited<ReturnType<typeof listRates>>,
  mayAdd: boolean,
  state: PlanFormState,
  t: Translate,
) {
  const f = formOf(state, "rate");
  const field = fieldOf("r", f, t);
  return {
    rows: rows.map((r) => ({
      itemLabel: t(`rateItem.${r.item}`),
      roleLabel: r.role ? t(`rateRole.${r.role}`) : "",
      label: r.label,
      unit: r.unit,
      amount: formatMoney(r.amount),
      from: r.effectiveFrom,
      to: r.effectiveTo,
      legalBasis: r.legalBasis,
    })),
    form: mayAdd
      ? {
          error: f.error,
          fields: [
            field("item", "select", true, { options: options(RATE_ITEMS, "rateItem", f.values.item, t) }),
            field("role", "select", false, { options: options(RATE_ROLES, "rateRole", f.values.role, t) }),
            field("label", "text"),
            field("unit", "text"),
            { ...field("amount", "text"), hint: t("planField.costHint") },
            field("effectiveFrom", "date"),
            field("effectiveTo", "date", false),
            field("legalBasis", "textarea"),
          ],
        }
      : null,
  };
}

type Payments = Awaited<ReturnType<typeof listPayments>>;
type Choices = Awaited<ReturnType<typeof listMoneyChoices>>;

/** One payment row; `names` gives the assignment's label. */
function paymentRow(p: Payments[number], names: Map<string, string>, t: Translate) {
  return {
    id: p.id,
    paidOn: p.paidOn,
    voucher: p.voucherNumber,
    payee: p.payeeName,
    itemLabel: p.item === "other" ? t("rateItem.other") : t(`rateItem.${p.item}`),
    description: p.description,
    assignment: p.assignmentId ? (names.get(p.assignmentId) ?? "") : "",
    assignmentHref: p.assignmentId ? `/assignments/${p.assignmentId}/money` : null,
    amount: formatMoney(p.amount),
    tax: formatMoney(p.taxWithheld),
    reversal: !!p.reversesId,
    negative: p.amount < 0,
  };
}

/** The payments page of a year; `choices` (the accountant's forms) when the actor records payments. */
export function presentPayments(
  input: { year: number; payments: Payments; choices: Choices; mayRecord: boolean },
  state: PlanFormState,
  t: Translate,
) {
  const names = new Map(input.choices.assignments.map((a) => [a.id, a.label]));
  const reversed = new Set(input.payments.map((p) => p.reversesId).filter(Boolean));
  const rows = input.payments.map((p) => ({
    ...paymentRow(p, names, t),
    mayReverse: input.mayRecord && !p.reversesId && !reversed.has(p.id),
    reverse: formOf(state, `reverse-${p.id}`),
  }));
  const total = input.payments.reduce((s, p) => s + p.amount, 0);
  return {
    title: t("money.paymentsOfYear", { year: input.year }),
    year: input.year,
    prevYear: input.year - 1,
    nextYear: input.year + 1,
    rows,
    total: formatMoney(total),
    xlsxHref: `/api/v1/payments.xlsx?year=${input.year}`,
    form: input.mayRecord ? paymentForm(input.choices, state, t) : null,
  };
}

/** The form that records a payment. */
function paymentForm(choices: Choices, state: PlanFormState, t: Translate) {
  const f = formOf(state, "payment");
  const field = fieldOf("pay", f, t);
  const pick = (list: Array<{ id: string; label?: string; name?: string }>, chosen: unknown) =>
    list.map((x) => ({ value: x.id, label: x.label ?? x.name ?? "", selected: chosen === x.id }));
  return {
    error: f.error,
    fields: [
      field("assignmentId", "select", true, { options: pick(choices.assignments, f.values.assignmentId) }),
      field("payeeKind", "select", true, {
        options: options(["expert", "person", "organization"], "payeeKind", f.values.payeeKind, t),
      }),
      field("expertId", "select", false, { options: pick(choices.experts, f.values.expertId) }),
      field("payeeName", "text", false),
      field("item", "select", true, { options: options([...RATE_ITEMS, "other"], "rateItem", f.values.item, t) }),
      field("description", "text"),
      { ...field("amount", "text"), hint: t("planField.costHint") },
      field("taxWithheld", "text", false),
      field("paidOn", "date"),
      field("voucherNumber", "text"),
    ],
  };
}

/** An expert's statement of the year (the expert's own page, or staff looking at one expert). */
export function presentExpertStatement(s: Awaited<ReturnType<typeof loadExpertStatement>>, own: boolean, t: Translate) {
  return {
    title: own ? t("money.myPayments", { year: s.year }) : t("money.expertStatement", { name: s.name, year: s.year }),
    name: s.name,
    year: s.year,
    prevYear: s.year - 1,
    nextYear: s.year + 1,
    lines: s.lines.map((l) => ({
      paidOn: l.paidOn,
      voucher: l.voucherNumber,
      assignment: l.assignment ?? "",
      description: l.description,
      gross: formatMoney(l.gross),
      tax: formatMoney(l.tax),
      net: formatMoney(l.net),
      reversal: l.reversal,
    })),
    totals: { gross: formatMoney(s.totals.gross), tax: formatMoney(s.totals.tax), net: formatMoney(s.totals.net) },
    totalInWords: s.totalInWords,
    xlsxHref: `/api/v1/experts/${s.expertId}/statement.xlsx?year=${s.year}`,
  };
}
