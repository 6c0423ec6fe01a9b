/**
 * The forms of the annual plan's pages as field models (templates/partials/field.hbs): which
 * fields each plan event asks for, the proposal's fields, and a refused form's message beside its
 * field. Words through `t`; no codes shown.
 */
import type { Translate } from "./pageTypes.js";

/** A refused plan form: which form (`form`), what was typed, the message, the message per field. */
export type PlanFormState = {
  form?: string;
  values?: Record<string, unknown>;
  error?: string;
  errors?: Record<string, string>;
};

/** One field of a form (the `field` partial). */
export type FieldModel = {
  id: string;
  name: string;
  label: string;
  kind: "text" | "textarea" | "select" | "number" | "date";
  required?: boolean;
  value?: unknown;
  error?: string;
  hint?: string;
  options?: Array<{ value: string; label: string; selected?: boolean }>;
};

/** The text fields each plan-wide event asks for, required ones marked. */
export const EVENT_FIELDS: Record<string, Array<{ name: string; required: boolean }>> = {
  "proposals.close": [{ name: "note", required: false }],
  "submission.propose": [{ name: "note", required: false }],
  "submission.approve": [{ name: "note", required: false }],
  "submission.return": [{ name: "comments", required: true }],
  "submission.issue": [{ name: "note", required: false }],
  "province.return": [
    { name: "letterNumber", required: false },
    { name: "comments", required: true },
  ],
  "amendment.open": [{ name: "reason", required: true }],
  "amendment.cancel": [{ name: "reason", required: true }],
  "report.submit": [{ name: "note", required: false }],
  "report.approve": [{ name: "note", required: false }],
  "report.return": [{ name: "comments", required: true }],
  "item.edit": [{ name: "reason", required: true }],
  "item.change": [{ name: "reason", required: true }],
  "item.reject": [{ name: "reason", required: true }],
  "item.restore": [{ name: "reason", required: true }],
  "item.proposeCut": [{ name: "reason", required: true }],
  "item.keep": [{ name: "reason", required: false }],
  "proposal.withdraw": [{ name: "reason", required: false }],
  "items.merge": [{ name: "reason", required: true }],
};

/** The state of one form: the typed values and errors only when it is the refused one. */
export function formOf(state: PlanFormState, name: string) {
  const mine = state.form === name;
  return {
    values: mine ? (state.values ?? {}) : {},
    errors: mine ? (state.errors ?? {}) : {},
    error: mine ? state.error : undefined,
  };
}

/** The text fields of an event's form, with the refused values and messages. */
export function eventFields(type: string, prefix: string, state: PlanFormState, t: Translate): FieldModel[] {
  const f = formOf(state, prefix);
  return (EVENT_FIELDS[type] ?? []).map(({ name, required }) => ({
    id: `${prefix}-${name}`,
    name,
    label: t(`planField.${name}`),
    kind: name === "letterNumber" ? ("text" as const) : ("textarea" as const),
    required,
    value: f.values[name] ?? "",
    error: f.errors[name],
  }));
}

const TYPES = ["critique", "consultancy", "assessment"];
const FORMS = ["council", "expert_group", "workshop", "written"];

/** The content fields of a proposal (new, or an edit of one), filled from `v`. */
export function contentFields(
  prefix: string,
  v: Record<string, unknown>,
  errors: Record<string, string>,
  t: Translate,
) {
  const chosen = Array.isArray(v.forms) ? (v.forms as unknown[]) : v.forms ? [v.forms] : [];
  const field = (name: string, kind: FieldModel["kind"], required = true): FieldModel => ({
    id: `${prefix}-${name}`,
    name,
    label: t(`planField.${name}`),
    kind,
    required,
    value: v[name] ?? "",
    error: errors[name],
  });
  return {
    title: field("title", "textarea"),
    // "taskType", not "type": the event forms' hidden field is "type".
    type: {
      ...field("taskType", "select"),
      label: t("planField.type"),
      error: errors.type ?? errors.taskType,
      options: TYPES.map((x) => ({ value: x, label: t(`type.${x}`), selected: v.taskType === x })),
    },
    forms: {
      label: t("planField.forms"),
      error: errors.forms,
      options: FORMS.map((x) => ({ value: x, label: t(`form.${x}`), checked: chosen.includes(x) })),
    },
    quarter: {
      ...field("quarter", "select"),
      options: [1, 2, 3, 4].map((q) => ({
        value: String(q),
        label: t("plan.quarter", { roman: ["I", "II", "III", "IV"][q - 1] }),
        selected: String(v.quarter) === String(q),
      })),
    },
    rationale: field("rationale", "textarea"),
    estimatedCost: { ...field("estimatedCost", "text"), hint: t("planField.costHint") },
    draftingAgency: field("draftingAgency", "text", false),
  };
}

/**
 * The message of a refused form and the message beside its field: a field the form checks gets
 * "<field>: not valid" in words; anything else keeps the command's own message.
 */
export function refusedPlanForm(
  form: string,
  values: Record<string, unknown>,
  err: { code: string; message: string; field?: string },
  t: Translate,
  labels = "planField",
): PlanFormState {
  const name = (err.field ?? "")
    .split(".")
    .filter((p) => !/^\d+$/.test(p))
    .pop();
  if (err.code === "validation_failed" && name) {
    const message = t("planForm.invalidField", { field: t(`${labels}.${name}`) });
    return { form, values, error: message, errors: { [name]: message } };
  }
  return { form, values, error: err.message, errors: name ? { [name]: err.message } : {} };
}

/** The event's help line, when the catalogue has one. */
export function helpOf(type: string, t: Translate): string | null {
  const key = `planEventHelp.${type}`;
  const text = t(key);
  return text === key ? null : text;
}
