/** Under review: extensions, reminders, the workshop and closing the review. */
import { z } from "zod";
import { ForbiddenError } from "../../errors.js";
import type { AssignmentContext } from "../../../workflows/assignment/types.js";
import { declareEvent, type EventDeclaration } from "./declare.js";
import { optText, text, uuid } from "./fields.js";

const days = z.number().int().min(1).max(60);
/** The expert of the first extension request still waiting for a decision. */
const pendingExpert = (ctx: AssignmentContext) => ({
  expertId: ctx.extensionRequests?.find((r) => r.status === "pending")?.expertId,
});

export const REVIEW_EVENTS: Record<string, EventDeclaration> = {
  "extension.request": declareEvent({
    payload: { days, reason: text() },
    roles: ["expert"],
    // The request is the sending expert's own.
    enrich: async (_tx, { actor }, event) => {
      if (!actor.expertId) throw new ForbiddenError();
      return { ...event, expertId: actor.expertId };
    },
    rules: { canRequestExtension: "rule.canRequestExtension" },
    probe: (_ctx, actor) => ({ expertId: actor.expertId }),
  }),
  "extension.grant": declareEvent({
    payload: { expertId: uuid, days: days.optional() },
    roles: ["secretariat"],
    rules: { hasPendingExtension: "rule.hasPendingExtension" },
    probe: pendingExpert,
  }),
  "extension.refuse": declareEvent({
    payload: { expertId: uuid, reason: text() },
    roles: ["secretariat"],
    rules: { hasPendingExtension: "rule.hasPendingExtension" },
    probe: pendingExpert,
    form: { danger: true },
  }),
  "reminder.send": declareEvent({ payload: { expertId: uuid.optional() }, roles: ["secretariat"] }),
  "workshop.schedule": declareEvent({
    payload: { scheduledAt: z.string().datetime({ offset: true }), place: text(300) },
    roles: ["secretariat"],
  }),
  "workshop.record": declareEvent({
    payload: { minutes: text(20000), attendees: z.array(text(200)).min(1).max(200) },
    roles: ["secretariat"],
    // The machine compares the day the minutes are recorded with the workshop's day.
    enrich: async (_tx, { now }, event) => ({ ...event, recordedAt: now.toISOString() }),
    rules: { workshopPlanned: "rule.workshopPlanned", workshopDayReached: "rule.workshopDayReached" },
  }),
  "review.close": declareEvent({
    payload: { note: optText() },
    roles: ["secretariat"],
    rules: { enoughOpinions: "rule.enoughOpinions" },
  }),
};
