/** The assignment list's filters from the query string; anything unknown is dropped. */
import { LIST_STATES, SORT_COLUMNS, TYPES, type ListFilters } from "../../../presenters/pages/presentAssignmentList.js";
import { str } from "./fields.js";

const CURSOR = /^[A-Za-z0-9_-]{1,1500}$/;

/** Stage, type, agency, overdue, search text (≤ 200 characters), sort, page (1 when absent) and its cursor. */
export function readListFilters(q: Record<string, unknown>): ListFilters {
  return {
    state: LIST_STATES.includes(str(q.state)) ? str(q.state) : undefined,
    type: TYPES.includes(str(q.type)) ? str(q.type) : undefined,
    agencyId: /^[0-9a-f-]{36}$/.test(str(q.agencyId)) ? str(q.agencyId) : undefined,
    overdue: q.overdue === "true",
    q: str(q.q).slice(0, 200),
    page: Math.max(1, Math.floor(Number(str(q.page)))) || 1,
    sort: (SORT_COLUMNS as readonly string[]).includes(str(q.sort)) ? (str(q.sort) as ListFilters["sort"]) : undefined,
    dir: str(q.dir) === "asc" || str(q.dir) === "desc" ? (str(q.dir) as "asc" | "desc") : undefined,
    after: CURSOR.test(str(q.after)) ? str(q.after) : undefined,
    before: CURSOR.test(str(q.before)) ? str(q.before) : undefined,
  };
}
