/** The letters around the result: the cover letter sending it, and the reminder to answer it. */
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import { deadlines, recommendationResponses, recommendations } from "../db/schema.js";
import type { DocumentModels } from "./types.js";
import { issuedRef } from "./assignmentData.js";
import type { ModelContext } from "./modelContext.js";

/** Công văn gửi kết quả: the report it sends, how many recommendations, the answer's due date. */
export async function coverLetterModel(c: ModelContext): Promise<DocumentModels["coverLetter"]> {
  const report = await issuedRef(c.db, c.d.a.id, "finalReport", c.profile);
  const recs = await c.db
    .select({ id: recommendations.id })
    .from(recommendations)
    .where(eq(recommendations.assignmentId, c.d.a.id));
  return {
    ...c.letter(`gửi kết quả ${c.work} ${c.subject.title}`, [...c.drafting, c.leaders]),
    subject: c.subject,
    order: c.order,
    report: report ?? { number: "…", date: c.at.toISOString() },
    recommendationCount: recs.length,
    responseDueDate: await c.wd(c.timeline.responseDays),
    selfInitiated: !c.d.a.agencyId,
    answerRequested: !!c.d.a.agencyId || (c.d.a.recipients ?? []).some((r) => r.answerRequested),
  };
}

/** Công văn đôn đốc: the recommendations still unanswered and a new due date. */
export async function responseReminderModel(c: ModelContext): Promise<DocumentModels["responseReminder"]> {
  const id = c.d.a.id;
  const report = await issuedRef(c.db, id, "finalReport", c.profile);
  const cover = await issuedRef(c.db, id, "coverLetter", c.profile);
  const recs = await c.db
    .select()
    .from(recommendations)
    .where(eq(recommendations.assignmentId, id))
    .orderBy(asc(recommendations.number));
  const done = await answered(
    c,
    recs.map((r) => r.id),
  );
  const [due] = await c.db
    .select()
    .from(deadlines)
    .where(and(eq(deadlines.assignmentId, id), eq(deadlines.key, "response")))
    .orderBy(desc(deadlines.createdAt))
    .limit(1);
  return {
    ...c.letter(`đề nghị báo cáo kết quả tiếp thu, giải trình ý kiến ${c.work}`, [...c.drafting, c.leaders]),
    subject: c.subject,
    order: c.order,
    report: report ?? { number: "…", date: c.at.toISOString() },
    coverLetter: cover ?? { number: "…", date: c.at.toISOString() },
    responseDueDate: (due?.dueAt ?? c.at).toISOString(),
    pending: recs.filter((r) => !done.has(r.id)).map((r) => `Kiến nghị số ${r.number}: ${r.text}`),
    newDueDate: await c.wd(10),
  };
}

/** The recommendations the agency has answered. */
async function answered(c: ModelContext, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await c.db
    .select({ id: recommendationResponses.recommendationId })
    .from(recommendationResponses)
    .where(inArray(recommendationResponses.recommendationId, ids));
  return new Set(rows.map((x) => x.id));
}
