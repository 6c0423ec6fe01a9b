/** The agency's response: its answer to each numbered recommendation, saved as it goes, then submitted. */
import { z } from "zod";
import type { AssignmentContext } from "../../../workflows/assignment/types.js";
import { declareEvent, type EventDeclaration, type Payload } from "./declare.js";
import { answer } from "./fields.js";

type FormAnswer = { status?: string; explanation?: string };

/** The response form posts `answers[<recommendationId>][status|explanation]`; unanswered rows are left out. */
function answersFromForm(body: Payload, event: Payload): Payload {
  const answers = (body.answers ?? {}) as Record<string, FormAnswer>;
  return {
    type: event.type,
    answers: Object.entries(answers)
      .filter(([, a]) => a?.status)
      .map(([recommendationId, a]) => ({
        recommendationId,
        status: a.status,
        ...(a.explanation?.trim() ? { explanation: a.explanation.trim() } : {}),
      })),
  };
}

const accepted = (ids: string[]) => ids.map((recommendationId) => ({ recommendationId, status: "accepted" }));
const recommendationIds = (ctx: AssignmentContext) => (ctx.recommendations ?? []).map((r) => r.id);

export const RESPONSE_EVENTS: Record<string, EventDeclaration> = {
  "response.save": declareEvent({
    payload: { answers: z.array(answer).min(1).max(200) },
    roles: ["agency"],
    rules: { answersKnown: "rule.answersKnown" },
    probe: (ctx) => ({ answers: accepted(recommendationIds(ctx).slice(0, 1)) }),
    form: { ownPage: true, fromForm: answersFromForm },
  }),
  "response.submit": declareEvent({
    payload: { answers: z.array(answer).max(200) },
    roles: ["agency"],
    rules: { responseComplete: "rule.responseComplete" },
    probe: (ctx) => ({
      answers: accepted(recommendationIds(ctx).filter((id) => !(ctx.answered ?? []).includes(id))),
    }),
    form: { ownPage: true, confirm: true, fromForm: answersFromForm },
  }),
};
