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
import { and, eq, isNull, like } from "drizzle-orm";
import type { Db, Executor, Tx } from "../db/connect.js";
import { deadlines, organizations } from "../db/schema.js";
import { addCalendarDays, atVietnamTime, isWorkingDay, vietnamDateOf } from "../calendar/workingDays.js";
import { loadCalendar } from "../calendar/loadCalendar.js";
import type { Clock } from "../runtime/clock.js";
import { queueEffect } from "../runtime/queueEffect.js";

/** When the digest goes out, Vietnam time. */
export const DIGEST_TIME = "07:30";
/** The workflow name of organisation-wide timer rows (no assignment). */
export const ORGANIZATION_WORKFLOW = "organization";
const KEY_PREFIX = "digest:";

/**
 * The Vietnam date of the next digest at or after `now`: today if a working day not yet past 07:30, else the next
 * working day. Throws what the database throws.
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
        // Organisation timers have no assignment: this reads the small deadlines_org_timer_idx.
        isNull(deadlines.assignmentId),
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
 * marked fired): queues the digest mail (idempotency key per organisation and day) and arms the
 * next. Installed at boot as the timer handler of the "organization" workflow.
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

/** Organisation timer rows that are pending (for tests and the admin view). */
export function pendingDigestRows(db: Executor, organizationId: string) {
  return db
    .select()
    .from(deadlines)
    .where(
      and(
        // Organisation timers have no assignment: this reads the small deadlines_org_timer_idx.
        isNull(deadlines.assignmentId),
        eq(deadlines.organizationId, organizationId),
        eq(deadlines.workflow, ORGANIZATION_WORKFLOW),
        isNull(deadlines.assignmentId),
        eq(deadlines.status, "pending"),
      ),
    );
}
