/** The new-order form: the choices it offers (in the reader's words) and what was typed. */
import type { Translate } from "./pageTypes.js";
import { TYPES } from "./presentAssignmentList.js";
import { SUBJECT_KINDS, URGENCIES } from "../../../workflows/assignment/types.js";

const FORMS = ["council", "expert_group", "workshop", "written"];

/** The dossier's file fields of the form, in order. */
export const ORDER_FILE_FIELDS = ["request_letter", "draft", "submission", "annex"];

/** What a fresh form starts with. */
const fresh = () => ({ values: { type: "critique", forms: ["council"], subjectKind: "scheme" }, errors: {} });

/**
 * The form's model. `agencies` is offered when the secretariat orders for an agency; `failed` is
 * a refused order: its values and the message, shown beside its field.
 */
export function presentNewOrderForm(
  input: {
    agencies: Array<{ id: string; name: string }> | null;
    failed?: { values: Record<string, unknown>; message: string; field?: string };
  },
  t: Translate,
) {
  const field = input.failed?.field?.split(".")[0];
  return {
    isStaff: input.agencies !== null,
    agencies: input.agencies ?? [],
    types: TYPES.map((v) => ({ value: v, label: t(`type.${v}`) })),
    forms: FORMS.map((v) => ({ value: v, label: t(`form.${v}`) })),
    subjectKinds: SUBJECT_KINDS.map((v) => ({ value: v, label: t(`subjectKind.${v}`) })),
    urgencies: URGENCIES.map((v) => ({ value: v, label: t(`urgency.${v}`) })),
    fileFields: ORDER_FILE_FIELDS.map((v) => ({ name: v, label: t(`fileKind.${v}`) })),
    ...(input.failed
      ? {
          values: input.failed.values,
          error: input.failed.message,
          errorField: field,
          errors: field ? { [field]: input.failed.message } : {},
        }
      : fresh()),
  };
}
