/**
 * Reminders as data. When a step's deadline is scheduled, the organisation's reminder policy for
 * that step is planned on its working calendar (server/mail/reminderPlan.ts) and written as more
 * rows in `deadlines`, keyed `<deadline key>#<reminder key>`. Reminder rows become mail effects;
 * escalation rows become `deadline.reached` events with a level, so the workflow records them.
 * They are cancelled, paused and resumed with their deadline, and the recipients are resolved
 * when they fire, so an expert who has submitted is not reminded.
 */
import { eq } from "drizzle-orm";
import type { Tx } from "../db/connect.js";
import { deadlines, organizations } from "../db/schema.js";
import { planReminders, type PlannedReminder } from "../mail/reminderPlan.js";
import { resolveSettings } from "../settings.js";
import { loadCalendar } from "../calendar/loadCalendar.js";
import { REMINDER_SEPARATOR } from "../runtime/deadlineKeys.js";

/** The deadline the reminders are planned around, and the workflow it belongs to. */
export type RemindedDeadline = {
  organizationId: string;
  assignmentId: string;
  workflow: string;
  workflowId: string;
  key: string;
  dueAt: Date;
};

type Target = { step: string; to: unknown; template: string };

/** Which deadlines get reminders, to whom, with which template (null: none). */
export function reminderTarget(workflow: string, key: string): Target | null {
  if (workflow !== "assignment") return null;
  if (key === "review") return { step: "review", to: { pendingExperts: true }, template: "opinion.reminder" };
  if (key.startsWith("review:"))
    return { step: "review", to: { expertId: key.slice("review:".length) }, template: "opinion.reminder" };
  if (key === "response") return { step: "response", to: "agency", template: "response.reminder" };
  return null;
}

/**
 * Plans the reminders and escalations of a deadline by its step's policy and writes them as
 * deadline rows, inside the transaction that scheduled it. Throws what the database throws.
 */
export async function scheduleReminders(tx: Tx, deadline: RemindedDeadline, now: Date): Promise<void> {
  const target = reminderTarget(deadline.workflow, deadline.key);
  if (!target) return;
  const [org] = await tx
    .select({ settings: organizations.settings })
    .from(organizations)
    .where(eq(organizations.id, deadline.organizationId));
  const settings = resolveSettings(org?.settings);
  const policy = settings.reminders[target.step] ?? settings.reminders.default;
  const calendar = await loadCalendar(tx, deadline.organizationId, deadline.dueAt);
  const plan = planReminders({ dueAt: deadline.dueAt, policy, calendar, now });
  if (!plan.length) return;
  await tx.insert(deadlines).values(plan.map((r) => reminderRow(deadline, target, r, now)));
}

function reminderRow(deadline: RemindedDeadline, target: Target, r: PlannedReminder, now: Date) {
  const { key, dueAt } = deadline;
  return {
    organizationId: deadline.organizationId,
    assignmentId: deadline.assignmentId,
    workflow: deadline.workflow,
    workflowId: deadline.workflowId,
    key: `${key}${REMINDER_SEPARATOR}${r.key}`,
    dueAt: r.at,
    status: "pending",
    createdAt: now,
    event:
      r.audience === "recipient"
        ? {
            type: "reminder",
            template: target.template,
            to: target.to,
            variant: variantOf(r.key, key),
            dueKey: key,
            dueAt: dueAt.toISOString(),
            audience: "recipient",
          }
        : { type: "deadline.reached", key, level: r.audience },
  };
}

function variantOf(reminderKey: string, key: string) {
  const overdue = key === "response" ? "after" : "overdue";
  return reminderKey.startsWith("before") ? "before" : reminderKey === "due" ? "due" : overdue;
}
