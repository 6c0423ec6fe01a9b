/** The assignment as a whole: closing, reopening, holding, resuming, withdrawing. */
import { declareEvent, type EventDeclaration } from "./declare.js";
import { optText, text } from "./fields.js";

export const LIFECYCLE_EVENTS: Record<string, EventDeclaration> = {
  "assignment.close": declareEvent({ payload: { note: optText() }, roles: ["secretariat"] }),
  "assignment.reopen": declareEvent({
    payload: { reason: text() },
    roles: ["secretariat", "leadership"],
    rules: { hasReasons: "rule.hasReasons" },
  }),
  "assignment.hold": declareEvent({
    payload: { reason: text() },
    roles: ["secretariat", "leadership"],
    rules: { hasReasons: "rule.hasReasons" },
    form: { danger: true },
  }),
  "assignment.resume": declareEvent({ payload: { note: optText() }, roles: ["secretariat", "leadership"] }),
  "assignment.withdraw": declareEvent({
    payload: { reason: text() },
    roles: ["agency", "secretariat"],
    rules: { hasReasons: "rule.hasReasons" },
    form: { danger: true },
  }),
};
