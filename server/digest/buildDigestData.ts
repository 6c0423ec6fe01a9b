/**
 * The content of the secretariat's daily digest, read when its mail is sent (per recipient
 * language): the deadlines of open assignments that have passed, the items of the year's list not
 * started by their quarter, and the assignments whose current step is the secretariat's.
 */
import { and, asc, eq, inArray, lt, notInArray } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import { assignments, deadlines, experts } from "../db/schema.js";
import { atVietnamTime, workingDaysBetween, type WorkingCalendar } from "../calendar/workingDays.js";
import { loadCalendar } from "../calendar/loadCalendar.js";
import { formatShortDate, toRoman } from "../documents/format.js";
import { latePlanItemsOf, type LatePlanItem } from "../queries/listLatePlanItems.js";
import { quarterDays } from "../../workflows/annualPlan/planItems.js";
import { WAITING_ON } from "../presenters/waitingOn.js";
import { label, translate } from "../words/catalogue.js";
import type { DigestItem } from "../mail/types.js";
import { REMINDER_SEPARATOR } from "../runtime/deadlineKeys.js";

type Assignment = typeof assignments.$inferSelect;
type Deadline = typeof deadlines.$inferSelect;
type Pair = [vi: string, en: string];

const STEP: Record<string, Pair> = {
  screening: ["Xem xét hồ sơ đặt hàng", "Screening of the order"],
  planning: ["Kế hoạch thực hiện và dự toán", "Work plan and cost estimate"],
  review: ["Ý kiến phản biện của Hội đồng", "Panel's written opinions"],
  consolidation: ["Dự thảo báo cáo tổng hợp", "Draft consolidated report"],
  response: ["Báo cáo tiếp thu, giải trình của cơ quan", "Agency's written response"],
  issuing: ["Ban hành báo cáo kết quả", "Issuing the report"],
};
const WHO: Record<string, Pair> = {
  secretariat: ["Ban Tư vấn phản biện", "Secretariat"],
  leadership: ["Lãnh đạo Liên hiệp hội", "Leadership"],
  clerk: ["Văn thư", "Clerk"],
  agency: ["Cơ quan đặt hàng", "Ordering agency"],
  expert: ["Chuyên gia", "Experts"],
};
/** The states a deadline key belongs to: it is late only while the assignment is still there. */
const STEP_STATE: Record<string, string[]> = {
  screening: ["screening"],
  planning: ["planning"],
  review: ["underReview"],
  consolidation: ["consolidation"],
  response: ["awaitingResponse"],
};
const OPEN_EXCLUDED = ["closed", "declined", "withdrawn"];
const REVIEW_PREFIX = "review:";

/** What every item of one digest is written with. */
type DigestContext = {
  en: boolean;
  now: Date;
  cal: WorkingCalendar;
  publicUrl: string;
  expertNames: Map<string, string>;
};

/**
 * The digest's data for one recipient: deadlines of the organisation's open assignments that have
 * passed (`overdue`), and assignments whose current step is the secretariat's (`waiting`).
 * Confidential assignments appear by code only. Throws nothing beyond database errors.
 */
export async function buildDigestData(props: {
  db: Executor;
  organizationId: string;
  now: Date;
  locale: "vi" | "en";
  publicUrl: string;
}) {
  const { db, now, publicUrl } = props;
  const open = await openAssignments(db, props.organizationId);
  const byId = new Map(open.map((a) => [a.id, a]));
  const late = await lateDeadlines(db, byId, now);
  const ctx: DigestContext = {
    en: props.locale === "en",
    now,
    cal: await loadCalendar(db, props.organizationId, now),
    publicUrl,
    expertNames: await expertNames(db, late),
  };
  const lateItems = await latePlanItemsOf(db, props.organizationId, now);
  const overdue = [
    ...late.map((d) => overdueItem(ctx, d, byId.get(d.assignmentId!)!)),
    ...lateItems.map((i) => latePlanItem(ctx, i)),
  ];
  const overdueIds = new Set(late.map((d) => d.assignmentId!));
  const waiting = open
    .filter((a) => WAITING_ON[a.state] === "secretariat" && !overdueIds.has(a.id))
    .map((a) => waitingItem(ctx, a));
  return { date: formatShortDate(now), overdue, waiting, links: { dashboard: `${publicUrl}/assignments` } };
}

function openAssignments(db: Executor, organizationId: string): Promise<Assignment[]> {
  return db
    .select()
    .from(assignments)
    .where(and(eq(assignments.organizationId, organizationId), notInArray(assignments.state, OPEN_EXCLUDED)))
    .orderBy(asc(assignments.code));
}

/**
 * The passed deadlines that still hold an assignment up, earliest first. A fired deadline stays
 * "fired" after its step is done, so lateness is: the step's latest deadline has passed and the
 * assignment is still in that step (and, for one expert, no opinion yet).
 */
async function lateDeadlines(db: Executor, open: Map<string, Assignment>, now: Date): Promise<Deadline[]> {
  if (!open.size) return [];
  const rows = await db
    .select()
    .from(deadlines)
    .where(
      and(
        inArray(deadlines.assignmentId, [...open.keys()]),
        inArray(deadlines.status, ["pending", "fired"]),
        lt(deadlines.dueAt, now),
      ),
    )
    .orderBy(asc(deadlines.dueAt));
  return latestPerKey(rows)
    .filter((d) => open.has(d.assignmentId!) && stillLate(d, open.get(d.assignmentId!)!))
    .sort((x, y) => x.dueAt.getTime() - y.dueAt.getTime());
}

/** The latest assignment deadline of each key (reminder rows and organisation timers left out). */
function latestPerKey(rows: Deadline[]): Deadline[] {
  const latest = new Map<string, Deadline>();
  for (const d of rows) {
    if (d.key.includes(REMINDER_SEPARATOR) || d.workflow !== "assignment" || !d.assignmentId) continue;
    const k = `${d.assignmentId}|${d.key}`;
    const prev = latest.get(k);
    if (!prev || prev.createdAt.getTime() <= d.createdAt.getTime()) latest.set(k, d);
  }
  return [...latest.values()];
}

function stillLate(d: Deadline, a: Assignment): boolean {
  const step = d.key.split(":")[0];
  if (!(STEP_STATE[step] ?? []).some((s) => a.state === s || a.state.startsWith(`${s}.`))) return false;
  if (!d.key.startsWith(REVIEW_PREFIX)) return true;
  const opinions = (a.snapshot as { context?: { opinions?: Array<{ expertId: string }> } }).context?.opinions ?? [];
  return !opinions.some((o) => o.expertId === d.key.slice(REVIEW_PREFIX.length));
}

/** Display names of the experts whose own review deadline is late. */
async function expertNames(db: Executor, late: Deadline[]): Promise<Map<string, string>> {
  const ids = late.filter((d) => d.key.startsWith(REVIEW_PREFIX)).map((d) => d.key.slice(REVIEW_PREFIX.length));
  const rows = ids.length ? await db.select().from(experts).where(inArray(experts.id, ids)) : [];
  return new Map(rows.map((e) => [e.id, [e.academicTitle, e.fullName].filter(Boolean).join(" ")]));
}

const word = (ctx: DigestContext, pair: Pair | undefined, fallback: string) => (pair ? pair[ctx.en ? 1 : 0] : fallback);

function titleOf(ctx: DigestContext, a: Assignment): string {
  return a.confidential ? (ctx.en ? "(confidential)" : "(Mật)") : a.title;
}

function overdueItem(ctx: DigestContext, d: Deadline, a: Assignment): DigestItem {
  const base = d.key.split(":")[0];
  const days = Math.max(1, workingDaysBetween(d.dueAt, ctx.now, ctx.cal));
  const waitingRole = base === "review" ? "expert" : base === "response" ? "agency" : "secretariat";
  return {
    code: a.code,
    title: titleOf(ctx, a),
    step: word(ctx, STEP[base], d.key),
    waitingOn: d.key.startsWith(REVIEW_PREFIX)
      ? (ctx.expertNames.get(d.key.slice(REVIEW_PREFIX.length)) ?? word(ctx, WHO.expert, ""))
      : word(ctx, WHO[waitingRole], waitingRole),
    dueAt: formatShortDate(d.dueAt),
    overdueBy: ctx.en ? `${days} working day${days > 1 ? "s" : ""}` : `${days} ngày làm việc`,
    url: `${ctx.publicUrl}/assignments/${a.id}`,
  };
}

/** An item of the year's list not started by the end of its quarter: the secretariat's to start. */
function latePlanItem(ctx: DigestContext, i: LatePlanItem): DigestItem {
  const locale = ctx.en ? "en" : "vi";
  const end = atVietnamTime(quarterDays(i.year, i.quarter as 1 | 2 | 3 | 4).end, "17:00");
  const days = Math.max(1, workingDaysBetween(end, ctx.now, ctx.cal));
  const quarter = translate(locale, "plan.quarter", { roman: toRoman(i.quarter), n: i.quarter });
  return {
    code: i.code,
    title: i.title,
    step: `${translate(locale, "planExecution.notStarted")} (${quarter}/${i.year})`,
    waitingOn: word(ctx, WHO.secretariat, ""),
    dueAt: formatShortDate(end),
    overdueBy: ctx.en ? `${days} working day${days > 1 ? "s" : ""}` : `${days} ngày làm việc`,
    url: `${ctx.publicUrl}/plans/${i.planId}/items/${i.itemId}`,
  };
}

function waitingItem(ctx: DigestContext, a: Assignment): DigestItem {
  return {
    code: a.code,
    title: titleOf(ctx, a),
    step: label("state", a.state),
    waitingOn: word(ctx, WHO.secretariat, ""),
    dueAt: "—",
    url: `${ctx.publicUrl}/assignments/${a.id}`,
  };
}
