/**
 * The secretariat's daily digest as a recurring timer. Each organisation has one pending row in
 * `deadlines` (workflow "organization", key `digest:<YYYY-MM-DD>`, due at 07:30 Vietnam time on a
 * working day). The deadline worker fires it like any other row — exactly once, in the same
 * transaction that queues the `secretariat.digest` mail and arms the next working day's row — so a
 * restart neither loses nor repeats a digest. After downtime the overdue row fires once and the
 * next row is armed from *now*: one digest, not one per missed day.
 *
 * The digest's content is read when the mail effect runs (`buildDigestData`), per recipient language.
 */
import { and, asc, eq, inArray, isNull, like, lt, notInArray } from "drizzle-orm";
import type { Db, Executor, Tx } from "../db/connect.js";
import { assignments, deadlines, experts, organizations } from "../db/schema.js";
import {
  addCalendarDays,
  atVietnamTime,
  isWorkingDay,
  vietnamDateOf,
  workingDaysBetween,
} from "../calendar/workingDays.js";
import { formatShortDate } from "../documents/format.js";
import { WAITING_ON } from "../presenters/waitingOn.js";
import { label } from "../words/catalogue.js";
import type { DigestItem } from "../mail/types.js";
import { loadCalendar } from "./calendar.js";
import type { Clock } from "./clock.js";
import { queueEffect } from "./records.js";
import { REMINDER_SEPARATOR } from "./reminders.js";

/** When the digest goes out, Vietnam time. */
export const DIGEST_TIME = "07:30";
/** The workflow name of organisation-wide timer rows (no assignment). */
export const ORGANIZATION_WORKFLOW = "organization";
const KEY_PREFIX = "digest:";

/**
 * The Vietnam date of the next digest at or after `now`: today if a working day not yet past 07:30, else the next
 * working day.
 */
export async function nextDigestDate(db: Executor, organizationId: string, now: Date): Promise<string> {
  const cal = await loadCalendar(db, organizationId, now);
  let day = vietnamDateOf(now);
  if (now.getTime() >= atVietnamTime(day, DIGEST_TIME).getTime()) day = addCalendarDays(day, 1);
  for (let i = 0; i < 60 && !isWorkingDay(day, cal); i++) day = addCalendarDays(day, 1);
  return day;
}

/** Arms the organisation's next digest row unless one is already pending. Returns its key. */
export async function armDigest(tx: Executor, organizationId: string, now: Date): Promise<string> {
  const [pending] = await tx
    .select({ key: deadlines.key })
    .from(deadlines)
    .where(
      and(
        eq(deadlines.organizationId, organizationId),
        eq(deadlines.workflow, ORGANIZATION_WORKFLOW),
        like(deadlines.key, `${KEY_PREFIX}%`),
        eq(deadlines.status, "pending"),
      ),
    )
    .limit(1);
  if (pending) return pending.key;
  const day = await nextDigestDate(tx, organizationId, now);
  const key = `${KEY_PREFIX}${day}`;
  await tx.insert(deadlines).values({
    organizationId,
    assignmentId: null,
    workflow: ORGANIZATION_WORKFLOW,
    workflowId: organizationId,
    key,
    dueAt: atVietnamTime(day, DIGEST_TIME),
    event: { type: "digest" },
    status: "pending",
    createdAt: now,
  });
  return key;
}

/** Arms a digest timer for every organisation that has none (called at start-up). */
export async function ensureDigestTimers(db: Db, clock: Clock): Promise<void> {
  const orgs = await db.select({ id: organizations.id }).from(organizations);
  for (const o of orgs) await db.transaction((tx) => armDigest(tx, o.id, clock.now()).then(() => undefined));
}

/**
 * Fires an organisation timer row inside the deadline worker's transaction (the row is already
 * marked fired): queues the digest mail (idempotency key per organisation and day) and arms the next.
 */
export async function fireOrganizationTimer(tx: Tx, d: typeof deadlines.$inferSelect, now: Date): Promise<void> {
  if ((d.event as { type?: string }).type !== "digest") return;
  const day = vietnamDateOf(now);
  await queueEffect(tx, {
    organizationId: d.organizationId,
    assignmentId: null,
    kind: "mail",
    payload: {
      template: "secretariat.digest",
      to: "secretariat",
      data: { day },
      workflow: ORGANIZATION_WORKFLOW,
      workflowId: d.organizationId,
      event: "digest",
    },
    idempotencyKey: `digest:${d.organizationId}:${day}`,
    runAfter: now,
  });
  await armDigest(tx, d.organizationId, now);
}

const STEP: Record<string, [string, string]> = {
  screening: ["Xem xét hồ sơ đặt hàng", "Screening of the order"],
  planning: ["Kế hoạch thực hiện và dự toán", "Work plan and cost estimate"],
  review: ["Ý kiến phản biện của Hội đồng", "Panel's written opinions"],
  consolidation: ["Dự thảo báo cáo tổng hợp", "Draft consolidated report"],
  response: ["Báo cáo tiếp thu, giải trình của cơ quan", "Agency's written response"],
  issuing: ["Ban hành báo cáo kết quả", "Issuing the report"],
};
const WHO: Record<string, [string, string]> = {
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
  const { db, now } = props;
  const en = props.locale === "en";
  const t = (pair: [string, string] | undefined, fallback: string) => (pair ? pair[en ? 1 : 0] : fallback);
  const cal = await loadCalendar(db, props.organizationId, now);
  const open = await db
    .select()
    .from(assignments)
    .where(and(eq(assignments.organizationId, props.organizationId), notInArray(assignments.state, OPEN_EXCLUDED)))
    .orderBy(asc(assignments.code));
  const byId = new Map(open.map((a) => [a.id, a]));
  const title = (a: typeof assignments.$inferSelect) => (a.confidential ? (en ? "(confidential)" : "(Mật)") : a.title);
  const url = (id: string) => `${props.publicUrl}/assignments/${id}`;

  // A fired deadline stays "fired" after its step is done, so lateness is: the step's latest
  // deadline has passed and the assignment is still in that step (and, for one expert, no opinion yet).
  const rows = open.length
    ? await db
        .select()
        .from(deadlines)
        .where(
          and(
            inArray(
              deadlines.assignmentId,
              open.map((a) => a.id),
            ),
            inArray(deadlines.status, ["pending", "fired"]),
            lt(deadlines.dueAt, now),
          ),
        )
        .orderBy(asc(deadlines.dueAt))
    : [];
  const latest = new Map<string, typeof deadlines.$inferSelect>();
  for (const d of rows) {
    if (d.key.includes(REMINDER_SEPARATOR) || d.workflow !== "assignment" || !d.assignmentId) continue;
    const k = `${d.assignmentId}|${d.key}`;
    const prev = latest.get(k);
    if (!prev || prev.createdAt.getTime() <= d.createdAt.getTime()) latest.set(k, d);
  }
  const late = [...latest.values()]
    .filter((d) => {
      const a = byId.get(d.assignmentId!);
      if (!a) return false;
      const step = d.key.split(":")[0];
      if (!(STEP_STATE[step] ?? []).some((s) => a.state === s || a.state.startsWith(`${s}.`))) return false;
      if (d.key.startsWith("review:")) {
        const opinions =
          (a.snapshot as { context?: { opinions?: Array<{ expertId: string }> } }).context?.opinions ?? [];
        return !opinions.some((o) => o.expertId === d.key.slice("review:".length));
      }
      return true;
    })
    .sort((x, y) => x.dueAt.getTime() - y.dueAt.getTime());
  const expertIds = late.filter((d) => d.key.startsWith("review:")).map((d) => d.key.slice("review:".length));
  const names = new Map(
    (expertIds.length ? await db.select().from(experts).where(inArray(experts.id, expertIds)) : []).map((e) => [
      e.id,
      [e.academicTitle, e.fullName].filter(Boolean).join(" "),
    ]),
  );
  const overdue: DigestItem[] = [];
  for (const d of late) {
    const a = byId.get(d.assignmentId!);
    if (!a) continue;
    const base = d.key.split(":")[0];
    const days = Math.max(1, workingDaysBetween(d.dueAt, now, cal));
    const waitingRole = base === "review" ? "expert" : base === "response" ? "agency" : "secretariat";
    overdue.push({
      code: a.code,
      title: title(a),
      step: t(STEP[base], d.key),
      waitingOn: d.key.startsWith("review:")
        ? (names.get(d.key.slice(7)) ?? t(WHO.expert, ""))
        : t(WHO[waitingRole], waitingRole),
      dueAt: formatShortDate(d.dueAt),
      overdueBy: en ? `${days} working day${days > 1 ? "s" : ""}` : `${days} ngày làm việc`,
      url: url(a.id),
    });
  }
  const overdueIds = new Set(late.map((d) => d.assignmentId!));
  const waiting: DigestItem[] = open
    .filter((a) => WAITING_ON[a.state] === "secretariat" && !overdueIds.has(a.id))
    .map((a) => ({
      code: a.code,
      title: title(a),
      step: label("state", a.state),
      waitingOn: t(WHO.secretariat, ""),
      dueAt: "—",
      url: url(a.id),
    }));
  return { date: formatShortDate(now), overdue, waiting, links: { dashboard: `${props.publicUrl}/assignments` } };
}

/** Organisation timer rows that are pending (for tests and the admin view). */
export function pendingDigestRows(db: Executor, organizationId: string) {
  return db
    .select()
    .from(deadlines)
    .where(
      and(
        eq(deadlines.organizationId, organizationId),
        eq(deadlines.workflow, ORGANIZATION_WORKFLOW),
        isNull(deadlines.assignmentId),
        eq(deadlines.status, "pending"),
      ),
    );
}
