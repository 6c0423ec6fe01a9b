/** The users page: every user with their roles in words, and the new-user form (roles to tick, links). */
import { ROLES } from "../../runtime/actor.js";
import type { loadUserAdministration } from "../../queries/loadUserAdministration.js";
import type { Translate } from "./pageTypes.js";

/** A refused new user: what was typed, the message, and the message per field. */
export type UserFormState = { values?: Record<string, unknown>; error?: string; errors?: Record<string, string> };

/** The page model. */
export function presentUsers(
  data: Awaited<ReturnType<typeof loadUserAdministration>>,
  form: UserFormState,
  t: Translate,
) {
  const v = form.values ?? {};
  const chosen: unknown[] = Array.isArray(v.roles) ? v.roles : v.roles ? [v.roles] : [];
  return {
    rows: data.users.map((u) => ({ ...u, roleLabels: u.roles.map((x) => t(`role.${x}`)).join(", ") })),
    roles: ROLES.map((x) => ({ value: x, label: t(`role.${x}`), checked: chosen.includes(x) })),
    agencies: data.agencies,
    experts: data.experts,
    associations: data.associations,
    values: v,
    errors: {},
    ...form,
  };
}
