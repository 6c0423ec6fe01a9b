/** The assignment list's filters from the query string; anything unknown is dropped. */
import { LIST_STATES, TYPES, type ListFilters } from "../../../presenters/pages/presentAssignmentList.js";
import { str } from "./fields.js";

/** Stage, type, agency, overdue, search text (≤ 200 characters) and page (1 when absent). */
export function readListFilters(q: Record<string, unknown>): ListFilters {
  return {
    state: LIST_STATES.includes(str(q.state)) ? str(q.state) : undefined,
    type: TYPES.includes(str(q.type)) ? str(q.type) : undefined,
    agencyId: /^[0-9a-f-]{36}$/.test(str(q.agencyId)) ? str(q.agencyId) : undefined,
    overdue: q.overdue === "true",
    q: str(q.q).slice(0, 200),
    page: Number(str(q.page)) || 1,
  };
}
