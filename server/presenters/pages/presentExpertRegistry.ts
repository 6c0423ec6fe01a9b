/** The expert registry page: the experts (name, fields, workplace, association) and the new-expert and import forms. */
import type { loadExpertRegistry } from "../../queries/loadExpertRegistry.js";
import { personName } from "../../words/personName.js";

/** A refused new expert or import file: what was typed and the messages. */
export type ExpertFormState = {
  values?: Record<string, unknown>;
  error?: string;
  errors?: Record<string, string>;
  importError?: string;
};

/** The page model. */
export function presentExpertRegistry(data: Awaited<ReturnType<typeof loadExpertRegistry>>, form: ExpertFormState) {
  return {
    rows: data.experts.map(({ expert: e, associationName }) => ({
      ...e,
      displayName: personName(e),
      fieldsText: e.fields.join(", "),
      assoc: associationName,
    })),
    assocs: data.associations,
    agencies: data.agencies,
    values: {},
    errors: {},
    ...form,
  };
}
