/** Planning: the work plan and cost estimate that accept the order. */
import { z } from "zod";
import { declareEvent, type EventDeclaration } from "./declare.js";
import { text } from "./fields.js";

export const PLANNING_EVENTS: Record<string, EventDeclaration> = {
  "plan.submit": declareEvent({
    payload: {
      workPlan: text(8000),
      costEstimate: z.number().int().min(0).max(1e12),
      reviewDays: z.number().int().min(1).max(120).optional(),
    },
    roles: ["secretariat"],
    rules: { planValid: "rule.planValid" },
  }),
};
