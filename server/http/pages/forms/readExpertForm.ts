/** The new-expert form as the registry's JSON input (ExpertSchema checks it); fields split on , ; or new lines. */
import { str } from "./fields.js";

const orNull = (v: unknown) => str(v).trim() || null;

/** The expert's input. */
export function readExpertForm(b: Record<string, unknown>) {
  return {
    fullName: str(b.fullName).trim(),
    academicTitle: orNull(b.academicTitle),
    degree: orNull(b.degree),
    fields: str(b.fields)
      .split(/[,;\n]/)
      .map((x) => x.trim())
      .filter(Boolean),
    workplace: orNull(b.workplace),
    memberAssociationId: str(b.memberAssociationId) || null,
    employerAgencyId: str(b.employerAgencyId) || null,
    email: orNull(b.email),
    phone: orNull(b.phone),
  };
}
