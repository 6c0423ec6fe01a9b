/** The list queries the pages import; they live in server/queries (one query per file). */
export { COUNT_CAP, listAssignments, type ListFilters } from "../../queries/listAssignments.js";
