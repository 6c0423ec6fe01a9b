/** The new-user form as the user's JSON input (UserSchema checks it). */
import { str } from "./fields.js";

/** The ticked roles of a form (one checkbox gives a string, several an array). */
export const rolesOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : v ? [v] : []);

/** E-mail, name, roles, password (when typed), linked agency, expert or member association, and language. */
export function readUserForm(b: Record<string, unknown>) {
  return {
    email: str(b.email),
    fullName: str(b.fullName).trim(),
    roles: rolesOf(b.roles),
    ...(str(b.password) ? { password: str(b.password) } : {}),
    agencyId: str(b.agencyId) || null,
    expertId: str(b.expertId) || null,
    memberAssociationId: str(b.memberAssociationId) || null,
    locale: str(b.locale) === "en" ? "en" : "vi",
  };
}
