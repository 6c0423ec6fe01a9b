/**
 * Reminders as data. When a step's deadline is scheduled, the organisation's reminder policy for
 * that step is planned on its working calendar (server/mail/reminderPlan.ts) and written as more
 * rows in `deadlines`, keyed `<deadline key>#<reminder key>`. Reminder rows become mail effects;
 * escalation rows become `deadline.reached` events with a level, so the workflow records them.
 * They are cancelled, paused and resumed with their deadline, and the recipients are resolved
 * when they fire, so an expert who has submitted is not reminded.
 */
import { eq } from "drizzle-orm";
import { deadlines, organizations } from "../db/schema.js";
import { planReminders } from "../mail/reminderPlan.js";
import { resolveSettings } from "../settings.js";
import { loadCalendar } from "./calendar.js";
import type { ActionContext } from "./records.js";

export const REMINDER_SEPARATOR = "#";

/** Which deadlines get reminders, to whom, with which template. */
export function reminderTarget(workflow: string, key: string): { step: string; to: unknown; template: string } | null {
  if (workflow !== "assignment") return null;
  if (key === "review") return { step: "review", to: { pendingExperts: true }, template: "opinion.reminder" };
  if (key.startsWith("review:"))
    return { step: "review", to: { expertId: key.slice("review:".length) }, template: "opinion.reminder" };
  if (key === "response") return { step: "response", to: "agency", template: "response.reminder" };
  return null;
}

export async function scheduleReminders(ctx: ActionContext, key: string, dueAt: Date) {
  const target = reminderTarget(ctx.workflow, key);
  if (!target) return;
  const now = ctx.clock.now();
  const [org] = await ctx.tx
    .select({ settings: organizations.settings })
    .from(organizations)
    .where(eq(organizations.id, ctx.organizationId));
  const settings = resolveSettings(org?.settings);
  const policy = settings.reminders[target.step] ?? settings.reminders.default;
  const plan = planReminders({ dueAt, policy, calendar: await loadCalendar(ctx.tx, ctx.organizationId, dueAt), now });
  if (!plan.length) return;
  await ctx.tx.insert(deadlines).values(
    plan.map((r) => ({
      organizationId: ctx.organizationId,
      assignmentId: ctx.assignmentId,
      workflow: ctx.workflow,
      workflowId: ctx.workflowId,
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
    })),
  );
}

function variantOf(reminderKey: string, key: string) {
  const overdue = key === "response" ? "after" : "overdue";
  return reminderKey.startsWith("before") ? "before" : reminderKey === "due" ? "due" : overdue;
}
