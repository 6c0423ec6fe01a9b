/**
 * Everything the detail of one assignment shows (GET /api/v1/assignments/:id and the assignment
 * page), presented for the actor: what they may see of the panel, the opinions, the documents and
 * the files, and the events they may send now.
 */
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import {
  agencies,
  deadlines,
  documents,
  dossierFiles,
  experts,
  history,
  invitations,
  opinionVersions,
  recommendationResponses,
  recommendations,
} from "../db/schema.js";
import type { Actor } from "../runtime/actor.js";
import type { AssignmentRow } from "../runtime/applyEvent.js";
import { loadAssignment } from "../policies/assignmentPolicy.js";
import { maySeeDocument } from "../policies/documentPolicy.js";
import { isStaff } from "../policies/staffPolicy.js";
import { presentAssignment } from "../presenters/assignmentPresenter.js";
import { allowedEventsFor } from "./allowedEventsFor.js";

/**
 * Loads the assignment the actor may see and presents its detail.
 * @throws NotFoundError assignment_not_found (also for another organisation's or a hidden one)
 */
export async function loadAssignmentDetail(db: Executor, actor: Actor, id: string, now: Date) {
  const a = await loadAssignment(db, actor, id);
  const staff = isStaff(actor);
  const rows = await detailRows(db, a);
  // Experts see their own opinions; staff see submitted ones (and nobody sees another's draft).
  const visibleOpinions = rows.opinions.filter(
    (o) => (actor.expertId && o.expertId === actor.expertId) || (staff && o.status === "submitted"),
  );
  const isAgencyOnly = !staff && !actor.expertId;
  return presentAssignment({
    assignment: a,
    agencyName: rows.agencyName,
    now,
    allowedEvents: allowedEventsFor(a, actor),
    history: rows.history,
    deadlines: rows.deadlines,
    invitations: isAgencyOnly ? [] : rows.invitations,
    opinions: visibleOpinions,
    documents: rows.documents.filter((d) => maySeeDocument(actor, d)),
    files: rows.files.filter((f) => !f.confidential || staff || !!actor.expertId),
    recommendations: rows.recommendations,
    showPanelContacts: staff,
  });
}

/** The assignment's rows, read in parallel. */
async function detailRows(db: Executor, a: AssignmentRow) {
  const [agency] = a.agencyId
    ? await db.select({ name: agencies.name }).from(agencies).where(eq(agencies.id, a.agencyId))
    : [];
  const [hist, dls, invs, ops, docs, files, recs] = await Promise.all([
    db.select().from(history).where(eq(history.assignmentId, a.id)).orderBy(asc(history.id)),
    db
      .select()
      .from(deadlines)
      .where(and(eq(deadlines.assignmentId, a.id), inArray(deadlines.status, ["pending", "paused"]))),
    db
      .select({ i: invitations, e: experts })
      .from(invitations)
      .innerJoin(experts, eq(experts.id, invitations.expertId))
      .where(eq(invitations.assignmentId, a.id))
      .orderBy(asc(invitations.rank)),
    db
      .select()
      .from(opinionVersions)
      .where(eq(opinionVersions.assignmentId, a.id))
      .orderBy(asc(opinionVersions.expertId), asc(opinionVersions.version)),
    db.select().from(documents).where(eq(documents.assignmentId, a.id)).orderBy(asc(documents.createdAt)),
    db.select().from(dossierFiles).where(eq(dossierFiles.assignmentId, a.id)).orderBy(asc(dossierFiles.uploadedAt)),
    db
      .select()
      .from(recommendations)
      .where(eq(recommendations.assignmentId, a.id))
      .orderBy(asc(recommendations.round), asc(recommendations.number)),
  ]);
  const responses = recs.length
    ? await db
        .select()
        .from(recommendationResponses)
        .where(
          inArray(
            recommendationResponses.recommendationId,
            recs.map((r) => r.id),
          ),
        )
    : [];
  return {
    agencyName: agency?.name ?? null,
    history: hist,
    deadlines: dls,
    invitations: invs.map((r) => ({ ...r.i, expert: r.e })),
    opinions: ops,
    documents: docs,
    files,
    recommendations: recs.map((r) => ({ ...r, responses: responses.filter((x) => x.recommendationId === r.id) })),
  };
}
