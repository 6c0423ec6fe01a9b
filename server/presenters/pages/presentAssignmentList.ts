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

/** The list's filters as read from the query string. */
export type ListFilters = {
  state?: string;
  type?: string;
  agencyId?: string;
  overdue: boolean;
  q: string;
  page: number;
};

type ListResult = {
  rows: Array<{ state: string; type: string; waitingOn: string | null } & Record<string, unknown>>;
  total: number;
  totalCapped: boolean;
  page: number;
  pages: number;
};

/** "?state=…&page=N" keeping the filters that are set. */
function pageLink(f: ListFilters, page: number) {
  const set = Object.entries(f).filter(([, v]) => v && v !== 1);
  const params = new URLSearchParams({
    ...Object.fromEntries(set.map(([k, v]) => [k, String(v)])),
    page: String(page),
  });
  return `?${params.toString()}`;
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
    prev: result.page > 1 ? pageLink(f, result.page - 1) : null,
    next: result.page < result.pages || result.totalCapped ? pageLink(f, result.page + 1) : null,
    page: result.page,
    pages: result.pages,
    ...filterOptions(f, input.agencies, t),
    showAgencyFilter: input.showAgencyFilter,
  };
}
