/** The assignment list and the queue: rows with their labels, the filters, paging links. */
import type { Locale } from "../../words/catalogue.js";
import type { Translate } from "./pageTypes.js";

/** The stages the list can be filtered by, in the order the filter offers them. */
export const LIST_STATES = [
  "ordered",
  "screening",
  "planning",
  "panelFormation",
  "underReview",
  "consolidation",
  "approval",
  "issuing",
  "sent",
  "awaitingResponse",
  "responded",
  "closed",
  "declined",
  "withdrawn",
  "onHold",
];

/** The assignment types in the order forms and filters offer them. */
export const TYPES = ["critique", "consultancy", "assessment"];

/** The columns a person can sort the list by (the query's sort keys), in the table's order. */
export const SORT_COLUMNS = ["title", "step", "due", "received", "updated"] as const;
type SortColumn = (typeof SORT_COLUMNS)[number];
type Dir = "asc" | "desc";
/** Each column's first direction when chosen (as the query's DEFAULT_DIR). */
const FIRST_DIR: Record<SortColumn, Dir> = { title: "asc", step: "asc", due: "asc", received: "desc", updated: "desc" };

/** The list's filters as read from the query string. */
export type ListFilters = {
  state?: string;
  type?: string;
  agencyId?: string;
  overdue: boolean;
  q: string;
  page: number;
  sort?: SortColumn;
  dir?: Dir;
  after?: string;
  before?: string;
};

type ListResult = {
  rows: Array<{ state: string; type: string; waitingOn: string | null } & Record<string, unknown>>;
  total: number;
  totalCapped: boolean;
  page: number;
  pages: number;
  sort: string;
  dir: Dir;
  nextCursor: string | null;
  prevCursor: string | null;
};

/** "?state=…&sort=…&page=N&after=…" keeping the filters that are set (the page number is a label beside the cursor). */
function listLink(f: ListFilters, extra: Record<string, string>) {
  const { page: _p, after: _a, before: _b, ...kept } = f;
  const set = Object.entries(kept).filter(([, v]) => v);
  const params = new URLSearchParams({ ...Object.fromEntries(set.map(([k, v]) => [k, String(v)])), ...extra });
  return `?${params.toString()}`;
}

/** The sortable column headers: a link that sorts by the column (again: the other way), and aria-sort. */
function sortHeaders(f: ListFilters, result: ListResult, t: Translate) {
  const header = (column: SortColumn) => {
    const current = result.sort === column;
    const dir: Dir = current ? (result.dir === "asc" ? "desc" : "asc") : FIRST_DIR[column];
    return {
      href: listLink({ ...f, sort: column, dir: undefined }, dir === FIRST_DIR[column] ? {} : { dir }),
      ariaSort: current ? (result.dir === "asc" ? "ascending" : "descending") : "none",
      state: current ? t(result.dir === "asc" ? "list.sortAsc" : "list.sortDesc") : "",
      arrow: current ? (result.dir === "asc" ? "▲" : "▼") : "",
    };
  };
  return { title: header("title"), step: header("step"), due: header("due"), received: header("received") };
}

/** Previous / next links by cursor (the page number travels along as a label). */
function pagerLinks(f: ListFilters, result: ListResult) {
  return {
    prev: result.prevCursor
      ? listLink(f, { page: String(Math.max(1, result.page - 1)), before: result.prevCursor })
      : null,
    next: result.nextCursor ? listLink(f, { page: String(result.page + 1), after: result.nextCursor }) : null,
  };
}

function filterOptions(f: ListFilters, agencies: Array<{ id: string; name: string }>, t: Translate) {
  return {
    states: LIST_STATES.map((s) => ({ value: s, label: t(`stage.${s}`), selected: s === f.state })),
    types: TYPES.map((v) => ({ value: v, label: t(`type.${v}`), selected: v === f.type })),
    agencies: agencies.map((a) => ({ value: a.id, label: a.name, selected: a.id === f.agencyId })),
  };
}

/** The list page's model (`queue`: the same rows ordered by due date, under the queue's title). */
export function presentAssignmentList(
  input: {
    queue: boolean;
    result: ListResult;
    filters: ListFilters;
    agencies: Array<{ id: string; name: string }>;
    showAgencyFilter: boolean;
    locale?: Locale;
  },
  t: Translate,
) {
  const { result, filters: f } = input;
  return {
    title: t(input.queue ? "title.queue" : "title.assignments"),
    queue: input.queue,
    rows: result.rows.map((x) => ({
      ...x,
      stateLabel: t(`state.${x.state}`),
      typeLabel: t(`type.${x.type}`),
      waitingOnLabel: x.waitingOn ? t(`role.${x.waitingOn}`) : "",
    })),
    total: new Intl.NumberFormat(input.locale === "en" ? "en" : "vi").format(result.total),
    totalCapped: result.totalCapped,
    f,
    ...pagerLinks(f, result),
    sortHeaders: sortHeaders(f, result, t),
    page: result.page,
    pages: result.pages,
    ...filterOptions(f, input.agencies, t),
    showAgencyFilter: input.showAgencyFilter,
  };
}
