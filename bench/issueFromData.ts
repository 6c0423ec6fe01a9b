/**
 * The whole issue from the data (issue 15 §3): a real assignment driven with the real commands to its
 * final report being issued — three experts' opinions submitted, the consolidated report saved with the
 * ten-page sample's sections, recommendations and comment matrix, submitted, approved and issued by the
 * clerk — so that each timed issue builds the report's view model from the database (the assignment,
 * its panel, opinions, report draft, numbered recommendations, calendar and profile) before the
 * template, the PDF, the signature and the stored bytes. Each timed issue is a fresh `issuing` row of
 * the same report (an issued row is immutable), as the clerk's issue leaves it: its meta, not a frozen
 * view model.
 */
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Db } from "../server/db/connect.js";
import { documents } from "../server/db/schema.js";
import { saveOpinionDraft, submitOpinion } from "../server/commands/opinions.js";
import { saveReportDraft, type ReportContent } from "../server/commands/reports.js";
import { sendAssignmentEvent } from "../server/commands/sendAssignmentEvent.js";
import type { Clock } from "../server/runtime/clock.js";
import type { Role } from "../server/runtime/actor.js";
import type { samples } from "../test/support/documents.js";
import { toUnderReview, type Organisation, type Sql } from "./lib.js";

type Report = (typeof samples)["finalReport"];

/** The consolidated report's content that lays out as `vm` does: its sections, recommendations and matrix. */
function contentOf(vm: Report, o: Organisation): ReportContent {
  const section = (prefix: string) => (s: { heading: string; paragraphs: string[] }, i: number) => ({
    key: `${prefix}${i + 1}`,
    title: s.heading,
    paragraphs: s.paragraphs.map((text) => ({ text })),
  });
  return {
    sections: [...vm.overall.map(section("overall-")), ...vm.specific.map(section("specific-"))],
    recommendations: vm.recommendations.map((text) => ({ text })),
    commentMatrix: (vm.matrix ?? []).map((m, i) => ({
      section: m.section,
      opinion: m.opinion,
      proposedChange: m.proposedChange,
      expertId: o.experts[i % o.experts.length].id,
    })),
    conclusion: "fit_after_revision",
  };
}

/**
 * Drives a new assignment to its final report issued by the clerk (the `issuing` row, not yet rendered);
 * returns a function that adds one more `issuing` row of that report (the next number) and its id.
 */
export async function finalReportFromData(rt: { db: Db; clock: Clock }, q: Sql, o: Organisation, vm: Report) {
  const a = await toUnderReview(rt, o, 7);
  for (const e of o.experts) {
    const actor = o.expertActor(e.id);
    await saveOpinionDraft(rt, {
      actor,
      assignmentId: a.id,
      content: {
        general: vm.overall[0].paragraphs[0],
        specific: vm.specific.map((s) => ({ section: s.heading, comment: s.paragraphs[0], suggestion: "" })),
        conclusion: "agree_with_revisions",
        recommendations: vm.recommendations.join(" "),
      },
    });
    await submitOpinion(rt, { actor, assignmentId: a.id });
  }
  const send = (role: Role, type: string) =>
    sendAssignmentEvent(rt, { actor: o.actor(role), assignmentId: a.id, event: { type } });
  await send("secretariat", "review.close");
  await saveReportDraft(rt, { actor: o.actor("secretariat"), assignmentId: a.id, content: contentOf(vm, o) });
  await send("secretariat", "report.submit");
  await send("leadership", "report.approve");
  await send("clerk", "report.issue");
  const [issued] = await rt.db
    .select()
    .from(documents)
    .where(and(eq(documents.assignmentId, a.id), eq(documents.kind, "finalReport"), eq(documents.status, "issuing")));
  if (!issued) throw new Error("whole issue from the data: the clerk's issue left no issuing final report");
  // The row's view model as the clerk's issue wrote it, kept before the first render freezes the full
  // view model onto it (copied from the row afterwards, each timed issue would freeze twice the data).
  const meta = JSON.stringify(issued.viewModel);
  let next = 1_000_000;
  /** One more issuing row as the clerk's issue left it (its meta, no frozen view model, no verify code). */
  const addIssuing = async () => {
    const id = randomUUID();
    next++;
    await q(
      `insert into documents (id, organization_id, assignment_id, kind, title, status, register, year, number,
         view_model, issued_by, issued_at)
       select $2, organization_id, assignment_id, kind, title, 'issuing', register, year, $3, $4::jsonb, issued_by,
         issued_at
       from documents where id = $1`,
      [issued.id, id, next, meta],
    );
    return id;
  };
  return { assignmentId: a.id, firstId: issued.id, addIssuing };
}
