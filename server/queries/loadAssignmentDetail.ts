/**
 * Everything the detail of one assignment shows (GET /api/v1/assignments/:id and the assignment
 * page), presented for the actor: what they may see of the panel, the opinions, the documents and
 * the files, and the events they may send now.
 */
import { and, asc, desc, eq, inArray, lt, sql } from "drizzle-orm";
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
 * Which part of the history to read: the `limit` most recent rows, or those before history row
 * `before` (the "older" link). Without it the whole history is read (the API's detail).
 */
export type TimelinePage = { limit: number; before?: number };

/**
 * Loads the assignment the actor may see and presents its detail; with `page`, only a page of the
 * timeline (most recent first in the store, oldest first in `timeline` as always), plus the states
 * the assignment has been in (`visitedStates`, for the statechart) and the cursor of the page
 * before (`timelineOlder`: a history id, or null at the first row); `timelineNewer`: rows after this page exist.
 * @throws NotFoundError assignment_not_found (also for another organisation's or a hidden one)
 */
export async function loadAssignmentDetail(db: Executor, actor: Actor, id: string, now: Date, page?: TimelinePage) {
  const a = await loadAssignment(db, actor, id);
  const staff = isStaff(actor);
  const [rows, paged] = await Promise.all([detailRows(db, a, !page), page ? historyPage(db, a.id, page) : null]);
  // Experts see their own opinions; staff see submitted ones (and nobody sees another's draft).
  const visibleOpinions = rows.opinions.filter(
    (o) => (actor.expertId && o.expertId === actor.expertId) || (staff && o.status === "submitted"),
  );
  const isAgencyOnly = !staff && !actor.expertId;
  const detail = presentAssignment({
    assignment: a,
    agencyName: rows.agencyName,
    now,
    allowedEvents: allowedEventsFor(a, actor),
    history: paged ? paged.rows : rows.history,
    deadlines: rows.deadlines,
    invitations: isAgencyOnly ? [] : rows.invitations,
    opinions: visibleOpinions,
    documents: rows.documents.filter((d) => maySeeDocument(actor, d)),
    files: rows.files.filter((f) => !f.confidential || staff || !!actor.expertId),
    recommendations: rows.recommendations,
    showPanelContacts: staff,
  });
  return paged
    ? { ...detail, visitedStates: paged.visited, timelineOlder: paged.older, timelineNewer: !!page?.before }
    : detail;
}

/**
 * A page of the assignment's history through history_assignment_idx (newest first, then turned
 * oldest first), and the states it has been in (two columns of its own rows: what the statechart
 * colours).
 */
async function historyPage(db: Executor, assignmentId: string, page: TimelinePage) {
  const own = eq(history.assignmentId, assignmentId);
  const [rows, states] = await Promise.all([
    db
      .select()
      .from(history)
      .where(page.before ? and(own, lt(history.id, page.before)) : own)
      .orderBy(desc(history.id))
      .limit(page.limit + 1),
    db
      .selectDistinct({ s: sql<string | null>`unnest(array[${history.fromState}, ${history.toState}])` })
      .from(history)
      .where(own),
  ]);
  const older = rows.length > page.limit ? rows[page.limit - 1].id : null;
  return {
    rows: rows.slice(0, page.limit).reverse(),
    older,
    visited: states.map((x) => x.s).filter((x): x is string => !!x),
  };
}

/** The assignment's rows, read in parallel (the whole history only if `wholeHistory`). */
async function detailRows(db: Executor, a: AssignmentRow, wholeHistory: boolean) {
  const [agency] = a.agencyId
    ? await db.select({ name: agencies.name }).from(agencies).where(eq(agencies.id, a.agencyId))
    : [];
  const [hist, dls, invs, ops, docs, files, recs] = await Promise.all([
    wholeHistory
      ? db.select().from(history).where(eq(history.assignmentId, a.id)).orderBy(asc(history.id))
      : Promise.resolve([]),
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
