/** The agency's response: its answer to each numbered recommendation, saved as it goes, then submitted. */
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Tx } from "../../db/connect.js";
import { dossierFiles } from "../../db/schema.js";
import { ValidationError } from "../../errors.js";
import { vietnamDateOf } from "../../calendar/workingDays.js";
import type { AssignmentContext } from "../../../workflows/assignment/types.js";
import { declareEvent, type EnrichContext, type EventDeclaration, type Payload } from "./declare.js";
import { answer, isoDate, line, optLine, uuid } from "./fields.js";

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

type RecordEvent = { answeredBy: string; answeredOn: string; fileId?: string } & Payload;

/**
 * A recipient's answer recorded by the Union: it names one of the result's recipients, is dated no
 * later than today (Vietnam time), and its letter, when attached, is a `response_letter` file of
 * this assignment's dossier (uploaded first through POST /assignments/:id/files).
 * @throws ValidationError `unknown_recipient`, `answer_date_in_future`, `unknown_file`
 */
async function checkRecordedAnswer(tx: Tx, { assignment, now }: EnrichContext, event: RecordEvent) {
  const fold = (s: string) => s.normalize("NFC").trim().toLocaleLowerCase("vi");
  const recipient = (assignment.recipients ?? []).find((r) => fold(r.name) === fold(event.answeredBy));
  if (!recipient)
    throw new ValidationError("unknown_recipient", "Cơ quan trả lời không có trong nơi nhận kết quả.", "answeredBy");
  if (event.answeredOn > vietnamDateOf(now))
    throw new ValidationError("answer_date_in_future", "Ngày văn bản trả lời không được sau hôm nay.", "answeredOn");
  if (event.fileId) {
    const [file] = await tx
      .select({ id: dossierFiles.id })
      .from(dossierFiles)
      .where(
        and(
          eq(dossierFiles.id, event.fileId),
          eq(dossierFiles.assignmentId, assignment.id),
          eq(dossierFiles.kind, "response_letter"),
        ),
      );
    if (!file) throw new ValidationError("unknown_file", "Không tìm thấy tệp văn bản trả lời của nhiệm vụ.", "fileId");
  }
  return { ...event, answeredBy: recipient.name };
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
  // Self-initiated work has no agency account: the secretariat or the clerk records what a
  // recipient asked to answer wrote back (who, the letter's date and number, what it adopted, the
  // letter itself); the history keeps each recording.
  "response.record": declareEvent({
    payload: {
      answers: z.array(answer).min(1).max(200),
      answeredBy: line(300),
      answeredOn: isoDate,
      reference: optLine(100).optional(),
      fileId: uuid.optional(),
    },
    roles: ["secretariat", "clerk"],
    enrich: (tx, ctx, event) => checkRecordedAnswer(tx, ctx, event as RecordEvent),
    rules: { answerRecordable: "rule.answerRecordable", recordCompletes: "rule.answerRecordable" },
    probe: (ctx) => ({
      answers: accepted(recommendationIds(ctx).filter((id) => !(ctx.answered ?? []).includes(id))),
      answeredBy: "-",
      answeredOn: "2000-01-01",
    }),
    form: {
      ownPage: true,
      fromForm: (body, event) => ({
        ...answersFromForm(body, event),
        answeredBy: body.answeredBy,
        answeredOn: body.answeredOn,
        ...(typeof body.reference === "string" && body.reference.trim() ? { reference: body.reference } : {}),
        ...(typeof body.fileId === "string" && body.fileId ? { fileId: body.fileId } : {}),
      }),
    },
  }),
};
