/** Order intake and screening: registration, missing documents, the proposal and leadership's decision. */
import { z } from "zod";
import { declareEvent, type EventDeclaration, type Payload, type Translate } from "./declare.js";
import { optText, text } from "./fields.js";

/** The ticked screening checklist goes in front of the note ("Đã kiểm tra: …"). */
function checklistNote(body: Payload, event: Payload, t: Translate): Payload {
  if (!body.checklist) return event;
  const ticked = (Array.isArray(body.checklist) ? body.checklist : [body.checklist]).map((k) =>
    t(`checklist.${String(k)}`),
  );
  const note = [`${t("checklist.done")}: ${ticked.join("; ")}.`, event.note].filter(Boolean).join(" ");
  return { ...event, note };
}

export const SCREENING_EVENTS: Record<string, EventDeclaration> = {
  "order.register": declareEvent({ payload: { note: optText() }, roles: ["clerk", "secretariat"] }),
  "documents.request": declareEvent({
    payload: { missingDocuments: z.array(text(300)).min(1).max(50), note: optText() },
    roles: ["secretariat"],
    rules: { hasMissingDocuments: "rule.hasMissingDocuments" },
  }),
  "documents.supply": declareEvent({ payload: { note: optText() }, roles: ["agency", "secretariat", "clerk"] }),
  "order.proposeAccept": declareEvent({
    payload: { note: optText() },
    roles: ["secretariat"],
    form: { fromForm: checklistNote },
  }),
  "order.proposeDecline": declareEvent({
    payload: { reasons: text() },
    roles: ["secretariat"],
    rules: { hasReasons: "rule.hasReasons" },
    form: { danger: true },
  }),
  "order.accept": declareEvent({ payload: { note: optText() }, roles: ["leadership"] }),
  "order.decline": declareEvent({ payload: { note: optText() }, roles: ["leadership"], form: { danger: true } }),
  "proposal.return": declareEvent({
    payload: { comments: text() },
    roles: ["leadership"],
    rules: { hasComments: "rule.hasComments" },
    form: { danger: true },
  }),
};
