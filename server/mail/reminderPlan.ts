/**
 * When to remind whom about a deadline (an expert's opinion, an agency's response), computed on the
 * working calendar. Pure: the caller stores each planned reminder as a row with an absolute time
 * and a worker sends it when it falls due — also after a restart, which is what `collapseOverdue`
 * is for.
 */
import { ValidationError } from "../errors.js";
import {
  atVietnamTime,
  isWorkingDay,
  shiftWorkingDays,
  vietnamDateOf,
  type WorkingCalendar,
} from "../calendar/workingDays.js";

/** Which reminders a deadline gets, in working days (WD) relative to the due date. */
export type ReminderPolicy = {
  /** Reminders to the recipient this many WD before the due date. Default [3, 1]. */
  before: number[];
  /** A reminder on the morning of the due date. Default true. */
  onDue: boolean;
  /** Reminders to the recipient this many WD after the due date (overdue). Default [2]. */
  after: number[];
  /** Tell the secretariat this many WD after the due date. Default 3. */
  escalateSecretariatAfter: number;
  /** Tell leadership this many WD after the due date. Default 5. */
  escalateLeadershipAfter: number;
};

/** Who a reminder goes to. */
export type ReminderAudience = "recipient" | "secretariat" | "leadership";

/** One planned reminder. `key` is stable for a given policy, so rows can be upserted by it. */
export type PlannedReminder = {
  /** 'before-3' | 'before-1' | 'due' | 'after-2' | 'escalate-secretariat' | 'escalate-leadership' */
  key: string;
  /** When to send it: 08:00 Vietnam time on a working day, as a UTC instant. */
  at: Date;
  audience: ReminderAudience;
};

/** The organisation defaults: 3 and 1 WD before, on the day, 2 WD after, escalate at 3 and 5 WD. */
export const defaultReminderPolicy: Readonly<ReminderPolicy> = Object.freeze({
  before: [3, 1],
  onDue: true,
  after: [2],
  escalateSecretariatAfter: 3,
  escalateLeadershipAfter: 5,
});

/** Reminders go out at the start of the working day, Vietnam time. */
export const REMINDER_TIME = "08:00";

/**
 * The reminders for a deadline due at `dueAt`, sorted by time. Each goes at 08:00 Vietnam time of
 * a working day: `before-N` N working days before the due date, `due` on the due date itself,
 * `after-N` N working days after it, then the escalations to the secretariat and to leadership.
 * With `now`, reminders whose time is already past are left out (planning late, or re-planning,
 * must not send "3 days left" when one is left); omit it to get the full plan.
 * Throws ValidationError `invalid_reminder_policy` for negative or non-integer offsets, and the
 * calendar's `invalid_date` / `invalid_calendar`.
 */
export function planReminders(props: {
  dueAt: Date;
  policy?: ReminderPolicy;
  calendar: WorkingCalendar;
  now?: Date;
}): PlannedReminder[] {
  const policy = props.policy ?? defaultReminderPolicy;
  checkPolicy(policy);
  const dueDate = vietnamDateOf(props.dueAt);
  const at = (offset: number) => atVietnamTime(shiftWorkingDays(dueDate, offset, props.calendar), REMINDER_TIME);

  const plan: PlannedReminder[] = [];
  for (const n of unique(policy.before)) plan.push({ key: `before-${n}`, at: at(-n), audience: "recipient" });
  // "On the day" is 08:00 of the due date. A deadline counted in calendar days can fall on a day
  // off (the review during Tết): then it goes on the last working day before, unless a before-N
  // reminder is already there — nobody is mailed on a holiday, and nobody twice in one morning.
  if (policy.onDue) {
    const onDay = isWorkingDay(dueDate, props.calendar) ? atVietnamTime(dueDate, REMINDER_TIME) : at(-1);
    if (!plan.some((r) => r.at.getTime() === onDay.getTime()))
      plan.push({ key: "due", at: onDay, audience: "recipient" });
  }
  for (const n of unique(policy.after)) plan.push({ key: `after-${n}`, at: at(n), audience: "recipient" });
  plan.push({ key: "escalate-secretariat", at: at(policy.escalateSecretariatAfter), audience: "secretariat" });
  plan.push({ key: "escalate-leadership", at: at(policy.escalateLeadershipAfter), audience: "leadership" });

  const now = props.now?.getTime();
  return plan
    .filter((r) => now === undefined || r.at.getTime() > now)
    .sort((a, b) => a.at.getTime() - b.at.getTime() || a.key.localeCompare(b.key));
}

/**
 * Re-planning after the due date changes (an extension granted, a clock paused and resumed) is just
 * `planReminders` again with the new due date: the caller cancels the old deadline's pending
 * reminder rows and stores these. Keys repeat between plans ('before-1' of the old due and of the
 * new one), so a mail's idempotency key must include the due date, e.g.
 * `${deadlineId}:${dueAt.toISOString()}:${key}` — otherwise a retried old reminder and the new one
 * would be taken for the same message. Pass `now` so reminders already in the past are not planned.
 * Throws what `planReminders` throws.
 */
export function replan(props: {
  dueAt: Date;
  policy?: ReminderPolicy;
  calendar: WorkingCalendar;
  now?: Date;
}): PlannedReminder[] {
  return planReminders(props);
}

/** The outcome of a catch-up: what to send now, what is superseded, what is still in the future. */
export type CollapsedReminders<T> = {
  /** At most one per audience: the latest reminder already due. */
  send: T[];
  /** Earlier due reminders of the same audience, to be marked skipped-as-superseded (not lost). */
  superseded: T[];
  /** Reminders not yet due, untouched. */
  pending: T[];
};

/**
 * After downtime several reminders may be overdue at once. Rather than a flood, send for each
 * audience only the latest reminder already due (at ≤ now) and report the earlier ones as
 * superseded, so the caller marks them skipped and none disappears silently. The audience comes
 * from the item, or from its key ('escalate-secretariat', 'escalate-leadership', else recipient).
 * Throws nothing; items with an invalid `at` are treated as due.
 */
export function collapseOverdue<T extends { key: string; at: Date; audience?: ReminderAudience }>(
  pending: T[],
  now: Date,
): CollapsedReminders<T> {
  const t = now.getTime();
  const due = pending.filter((r) => !(r.at.getTime() > t));
  const later = pending.filter((r) => r.at.getTime() > t);
  const latest = new Map<ReminderAudience, T>();
  for (const r of due) {
    const audience = audienceOf(r);
    const current = latest.get(audience);
    if (!current || timeOf(r) > timeOf(current) || (timeOf(r) === timeOf(current) && rank(r.key) > rank(current.key))) {
      latest.set(audience, r);
    }
  }
  const send = [...latest.values()];
  return {
    send: send.sort((a, b) => timeOf(a) - timeOf(b)),
    superseded: due.filter((r) => !send.includes(r)).sort((a, b) => timeOf(a) - timeOf(b)),
    pending: later.sort((a, b) => timeOf(a) - timeOf(b)),
  };
}

function audienceOf(r: { key: string; audience?: ReminderAudience }): ReminderAudience {
  if (r.audience) return r.audience;
  if (r.key === "escalate-secretariat") return "secretariat";
  if (r.key === "escalate-leadership") return "leadership";
  return "recipient";
}

const timeOf = (r: { at: Date }) => (Number.isFinite(r.at.getTime()) ? r.at.getTime() : -Infinity);

/** Tie-break for two reminders at the same instant: the later stage in the deadline's life wins. */
function rank(key: string): number {
  const m = /^(before|after)-(\d+)$/.exec(key);
  if (m) return m[1] === "before" ? -Number(m[2]) : 1000 + Number(m[2]);
  return key === "due" ? 0 : 10_000;
}

function unique(ns: number[]): number[] {
  return [...new Set(ns)];
}

function checkPolicy(p: ReminderPolicy): void {
  const offsets = [...p.before, ...p.after, p.escalateSecretariatAfter, p.escalateLeadershipAfter];
  if (offsets.some((n) => !Number.isInteger(n) || n < 0) || p.before.includes(0) || p.after.includes(0)) {
    throw new ValidationError(
      "invalid_reminder_policy",
      "Số ngày nhắc hạn phải là số nguyên dương (dùng 'onDue' cho ngày đến hạn).",
    );
  }
}
