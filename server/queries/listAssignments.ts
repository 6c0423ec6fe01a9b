/**
 * The list of assignments an actor may see, filtered, sorted and paged: GET /api/v1/assignments,
 * the list page, the queue and the dashboard. Visibility always through the policy's visibleTo.
 *
 * Every sort is (sort key, id) and has an index (organization_id, key, id) (migration
 * perf2_next_due), so a page is read in order through the index and the read stops after it: no
 * computation over all matching rows. Pages follow each other by a keyset cursor (`after` /
 * `before`: the sort value and the id of the row at the page's edge); `page` alone still works,
 * as an offset, up to MAX_OFFSET rows deep. The due date is `assignments.next_due_at`, kept by a trigger.
 */
import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/connect.js";
import { agencies, assignments } from "../db/schema.js";
import type { Actor } from "../runtime/actor.js";
import { ValidationError } from "../errors.js";
import { visibleTo } from "../policies/assignmentPolicy.js";
import { presentAssignmentSummary } from "../presenters/assignmentPresenter.js";
import { foldVietnamese } from "../text.js";
import { loadCalendar } from "../calendar/loadCalendar.js";
import { addWorkingDays } from "../calendar/workingDays.js";

/** A row is "due soon" when its next deadline falls within this many working days. */
export const DUE_SOON_WORKING_DAYS = 3;

/** Lists count matches up to this many past the current page, then say "more than". */
export const COUNT_CAP = 1000;
/** How deep a page by number (an offset) may start; past it, pages follow by cursor. */
export const MAX_OFFSET = 2000;

/** The columns a list can be sorted by. */
export const SORTS = ["updated", "due", "received", "title", "step"] as const;
export type SortKey = (typeof SORTS)[number];
export type SortDir = "asc" | "desc";
/** Each sort's natural direction: the most recent first, the earliest due first, titles A to Z. */
export const DEFAULT_DIR: Record<SortKey, SortDir> = {
  updated: "desc",
  due: "asc",
  received: "desc",
  title: "asc",
  step: "asc",
};

/** The columns a list row needs (never the snapshot or the search text). */
const SUMMARY_COLUMNS = {
  id: assignments.id,
  code: assignments.code,
  title: assignments.title,
  type: assignments.type,
  forms: assignments.forms,
  origin: assignments.origin,
  state: assignments.state,
  agencyId: assignments.agencyId,
  confidential: assignments.confidential,
  urgency: assignments.urgency,
  requestedDeadline: assignments.requestedDeadline,
  version: assignments.version,
  createdAt: assignments.createdAt,
  updatedAt: assignments.updatedAt,
};

export type ListFilters = {
  state?: string;
  type?: string;
  agencyId?: string;
  overdue?: boolean;
  q?: string;
  page?: number;
  /** The queue's order ("due"); `sort` takes precedence. */
  order?: "updated" | "due";
  sort?: SortKey;
  dir?: SortDir;
  /** Keyset cursors (from a previous answer's nextCursor / prevCursor). */
  after?: string;
  before?: string;
  waitingOn?: string[];
  limit?: number;
  /** false: no count (the dashboard shows the rows only); `total` is then the rows shown. */
  count?: boolean;
};

/** Each sort key as SQL (the expression its index holds) and the type its cursor value is read back as. */
const SORT_SQL: Record<SortKey, { expr: SQL; cast: (v: string) => SQL }> = {
  updated: { expr: sql`${assignments.updatedAt}`, cast: (v) => sql`${v}::timestamptz` },
  due: { expr: sql`coalesce(${assignments.nextDueAt}, 'infinity'::timestamptz)`, cast: (v) => sql`${v}::timestamptz` },
  received: { expr: sql`${assignments.createdAt}`, cast: (v) => sql`${v}::timestamptz` },
  title: { expr: sql`${assignments.title} collate "und-x-icu"`, cast: (v) => sql`${v}::text collate "und-x-icu"` },
  step: { expr: sql`${assignments.state}`, cast: (v) => sql`${v}::text` },
};

/** Assignments the actor may see, filtered (GET /api/v1/assignments and the pages); `order: "due"` is the queue. */
export async function listAssignments(db: Db, actor: Actor, now: Date, f: ListFilters) {
  const limit = f.limit ?? 25;
  const page = Math.max(1, f.page ?? 1);
  if (!f.after && !f.before && (page - 1) * limit > MAX_OFFSET)
    throw new ValidationError("page_too_deep", "Trang quá xa; hãy đi tiếp bằng liên kết “Trang sau”.", "page");
  const sort: SortKey = f.sort ?? (f.order === "due" ? "due" : "updated");
  const dir: SortDir = f.dir ?? DEFAULT_DIR[sort];
  const cursor = f.before ? decodeCursor(f.before, "before") : f.after ? decodeCursor(f.after, "after") : null;
  const backward = !!f.before;
  const where = and(...conditions(actor, now, f));
  const { expr, cast } = SORT_SQL[sort];
  // Reading backward (the previous page) reverses the order, then the rows are turned back.
  const asc = (dir === "asc") !== backward;
  const seek = cursor
    ? sql`(${expr}, ${assignments.id}) ${sql.raw(asc ? ">" : "<")} (${cast(cursor[0])}, ${cursor[1]})`
    : undefined;
  const offset = cursor ? 0 : (page - 1) * limit;
  const order = [
    sql`${expr} ${sql.raw(asc ? "asc" : "desc")}`,
    sql`${assignments.id} ${sql.raw(asc ? "asc" : "desc")}`,
  ];
  // Several states (the dashboard's "what waits on me"): each state's first rows read through its
  // own index range, then merged; never the whole order read past the other states' rows.
  const waiting = f.waitingOn?.length ? waitingIds(actor, now, f, seek, order, offset + limit + 1) : undefined;
  const fetched = await db
    .select({
      a: SUMMARY_COLUMNS,
      agencyName: agencies.name,
      dueAt: assignments.nextDueAt,
      sortValue: sql<string>`(${expr})::text`,
    })
    .from(assignments)
    .leftJoin(agencies, eq(agencies.id, assignments.agencyId))
    .where(and(where, seek, waiting))
    .orderBy(...order)
    .limit(limit + 1)
    .offset(offset);
  const more = fetched.length > limit;
  const rows = backward ? fetched.slice(0, limit).reverse() : fetched.slice(0, limit);
  const edge = (r: (typeof rows)[number] | undefined) => (r ? encodeCursor(r.sortValue, r.a.id) : null);
  const nextCursor = backward ? edge(rows.at(-1)) : more ? edge(rows.at(-1)) : null;
  const prevCursor = backward ? (more ? edge(rows[0]) : null) : cursor || offset > 0 ? edge(rows[0]) : null;
  // With a cursor, `page` is only a label: the count never reads deeper than MAX_OFFSET for it.
  const skipped = Math.min((page - 1) * limit, MAX_OFFSET);
  // A short first page needs no count at all.
  const counted =
    f.count !== false && (more || skipped > 0 || cursor)
      ? await countCapped(db, where, skipped + COUNT_CAP)
      : { total: rows.length, totalCapped: false };
  // "Due soon" is within the next 3 working days on the organisation's calendar (a Friday's
  // Tuesday deadline is due soon; a weekend or a holiday does not count).
  const soon = rows.length
    ? addWorkingDays(now, DUE_SOON_WORKING_DAYS, await loadCalendar(db, actor.organizationId, now)).getTime()
    : 0;
  return {
    ...counted,
    page,
    pages: Math.max(page, Math.ceil(counted.total / limit)),
    sort,
    dir,
    nextCursor,
    prevCursor,
    rows: rows.map((x) => presentRow(x, now, soon)),
  };
}

type Fetched = { a: Parameters<typeof presentAssignmentSummary>[0]; agencyName: string | null; dueAt: Date | null };

/** A row as the list shows it, with its due date's marks. */
function presentRow(x: Fetched, now: Date, soon: number) {
  const due = x.dueAt ? new Date(x.dueAt) : null;
  const s = presentAssignmentSummary(x.a, { agencyName: x.agencyName, nextDueAt: due, now });
  return { ...s, dueSoon: !!due && !s.overdue && due.getTime() <= soon };
}

/** A cursor: the sort value and the id of a page's edge row, as base64url JSON. */
function encodeCursor(value: string, id: string): string {
  return Buffer.from(JSON.stringify([value, id])).toString("base64url");
}

/** @throws ValidationError invalid_cursor (not one of ours) */
function decodeCursor(text: string, field: string): [string, string] {
  try {
    const v: unknown = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
    if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === "string" && x.length <= 1000))
      return [v[0] as string, v[1] as string];
  } catch {
    // falls through to the refusal
  }
  throw new ValidationError("invalid_cursor", "Liên kết trang không hợp lệ; hãy mở lại danh sách.", field);
}

/**
 * `id = any(…)` of the first `n` rows of each state of `f.waitingOn` in the list's order (from the
 * cursor on): a lateral read per state through assignments_org_state_due_idx (migration
 * pages6_waiting_index) for the due order, so the dashboard's list stays a few index ranges however
 * many rows wait on other roles.
 */
function waitingIds(actor: Actor, now: Date, f: ListFilters, seek: SQL | undefined, order: SQL[], n: number) {
  const states = sql`array[${sql.join(
    f.waitingOn!.map((s) => sql`${s}`),
    sql`, `,
  )}]::text[]`;
  const inner = and(...conditions(actor, now, { ...f, waitingOn: undefined }), seek);
  return sql`${assignments.id} = any(array(select w.id from unnest(${states}) as ws(state) cross join lateral
    (select ${assignments.id} as id from ${assignments} where ${inner} and ${assignments.state} = ws.state
      order by ${sql.join(order, sql`, `)} limit ${n}) w))`;
}

/** The filters as SQL conditions, visibility first. */
function conditions(actor: Actor, now: Date, f: ListFilters): SQL[] {
  const conds: SQL[] = [visibleTo(actor)];
  // A top-level state matches its sub-states; the expression is the one indexed (migration 0004).
  if (f.state)
    conds.push(
      f.state.includes(".")
        ? eq(assignments.state, f.state)
        : sql`split_part(${assignments.state}, '.', 1) = ${f.state}`,
    );
  if (f.type) conds.push(eq(assignments.type, f.type));
  if (f.agencyId) conds.push(eq(assignments.agencyId, f.agencyId));
  if (f.q?.trim())
    conds.push(
      sql`${assignments.searchText} like ${"%" + foldVietnamese(f.q).replace(/[%_\\]/g, (c) => "\\" + c) + "%"}`,
    );
  if (f.waitingOn)
    conds.push(
      sql`${assignments.state} in (${sql.join(
        f.waitingOn.map((s) => sql`${s}`),
        sql`, `,
      )})`,
    );
  // Overdue: a pending deadline is past, i.e. the earliest one is. Written as the due index's
  // expression, so the few overdue rows are a range of assignments_org_next_due_idx.
  if (f.overdue) conds.push(sql`${SORT_SQL.due.expr} < ${now.toISOString()}::timestamptz`);
  return conds;
}

/**
 * How many rows match, counted up to `cap` (read in the list's order, so through the same index):
 * past the cap the list says "more than".
 */
async function countCapped(db: Db, where: SQL | undefined, cap: number) {
  const counted = await db.select({ n: sql<number>`count(*)::int` }).from(
    db
      .select({ one: sql`1` })
      .from(assignments)
      .where(where)
      .orderBy(desc(assignments.updatedAt), desc(assignments.id))
      .limit(cap + 1)
      .as("matching"),
  );
  return { total: Math.min(Number(counted[0].n), cap), totalCapped: Number(counted[0].n) > cap };
}
