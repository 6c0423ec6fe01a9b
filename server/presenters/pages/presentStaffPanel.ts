/** The "who works on it" card of the assignment page: the staff named to it, and leadership's form. */
import type { StaffPerson } from "../../queries/listAssignmentStaff.js";

type T = (key: string, vars?: Record<string, unknown>) => string;

/** A failed staff form: its message, shown on the card. */
export type StaffFormError = { message: string };

const STAFF_ROLE_ORDER = ["leadership", "secretariat", "clerk", "admin"];

/** Each person with their staff roles in words; `null` when the reader is not the Union's staff. */
export function presentStaffPanel(
  staff: { members: StaffPerson[]; candidates: StaffPerson[]; mayAssign: boolean } | null,
  t: T,
  error?: StaffFormError,
) {
  if (!staff) return null;
  const person = (p: StaffPerson) => ({
    id: p.id,
    name: p.name,
    roles: STAFF_ROLE_ORDER.filter((r) => p.roles.includes(r))
      .map((r) => t(`role.${r}`))
      .join(", "),
  });
  return {
    members: staff.members.map(person),
    candidates: staff.candidates.map(person),
    mayAssign: staff.mayAssign,
    error: error?.message ?? null,
  };
}
