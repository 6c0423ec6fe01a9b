/**
 * Assignment → JSON for the API (and view models for pages). Pure functions; labels come from the
 * catalogue of words in the reader's language (Vietnamese unless `locale` says otherwise).
 */
import type {
  assignments,
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
import { eventJsonSchema } from "../commands/events/index.js";
import { personName } from "../words/personName.js";
import { wordsFor, type Locale, type Words } from "../words/catalogue.js";
import { waitingOn } from "./waitingOn.js";

type A = typeof assignments.$inferSelect;

export type SummaryInput = Pick<
  A,
  | "id"
  | "code"
  | "title"
  | "type"
  | "forms"
  | "origin"
  | "state"
  | "agencyId"
  | "confidential"
  | "urgency"
  | "requestedDeadline"
  | "version"
  | "createdAt"
  | "updatedAt"
>;

/** The summary used in lists. */
export function presentAssignmentSummary(
  a: SummaryInput,
  extra: { agencyName?: string | null; nextDueAt?: Date | null; now: Date; locale?: Locale },
) {
  const words = wordsFor(extra.locale ?? "vi");
  return {
    id: a.id,
    code: a.code,
    title: a.title,
    type: a.type,
    typeLabel: words.label("type", a.type),
    forms: a.forms,
    formLabels: a.forms.map((f) => words.label("form", f)),
    origin: a.origin,
    state: a.state,
    stateLabel: words.label("state", a.state),
    waitingOn: waitingOn(a.state),
    agencyId: a.agencyId,
    agencyName: extra.agencyName ?? null,
    confidential: a.confidential,
    urgency: a.urgency,
    requestedDeadline: a.requestedDeadline,
    nextDueAt: extra.nextDueAt?.toISOString() ?? null,
    overdue: !!extra.nextDueAt && extra.nextDueAt.getTime() < extra.now.getTime(),
    version: a.version,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}

export type DetailInput = {
  assignment: A;
  agencyName: string | null;
  now: Date;
  allowedEvents: string[];
  history: Array<typeof history.$inferSelect>;
  deadlines: Array<typeof deadlines.$inferSelect>;
  invitations: Array<typeof invitations.$inferSelect & { expert: typeof experts.$inferSelect }>;
  opinions: Array<typeof opinionVersions.$inferSelect>;
  documents: Array<typeof documents.$inferSelect>;
  files: Array<typeof dossierFiles.$inferSelect>;
  recommendations: Array<
    typeof recommendations.$inferSelect & { responses: Array<typeof recommendationResponses.$inferSelect> }
  >;
  showPanelContacts: boolean;
  /** The reader's language for the labels (default Vietnamese). */
  locale?: Locale;
};

type Row<T extends { $inferSelect: unknown }> = T["$inferSelect"];

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

/** A running deadline; `overdue` once a pending one has passed. */
function presentDeadline(x: Row<typeof deadlines>, now: Date) {
  return {
    key: x.key,
    workflow: x.workflow,
    dueAt: x.dueAt.toISOString(),
    status: x.status,
    overdue: x.status === "pending" && x.dueAt < now,
  };
}

/** A seat on the panel: the invited expert, their role and the invitation's state. */
function presentSeat(i: DetailInput["invitations"][number], showContacts: boolean, words: Words) {
  return {
    invitationId: i.id,
    expertId: i.expertId,
    name: personName(i.expert),
    degree: i.expert.degree,
    workplace: i.expert.workplace,
    role: i.panelRole,
    roleLabel: words.label("panelRole", i.panelRole),
    rank: i.rank,
    state: i.state,
    dueAt: iso(i.dueAt),
    respondedAt: iso(i.respondedAt),
    ...(showContacts ? { email: i.expert.email } : {}),
  };
}

/** One version of an expert's opinion. */
function presentOpinion(o: Row<typeof opinionVersions>) {
  const { id, expertId, version, status, content, reason } = o;
  return {
    id,
    expertId,
    version,
    status,
    content,
    reason,
    createdAt: o.createdAt.toISOString(),
    submittedAt: iso(o.submittedAt),
  };
}

/** A document of the assignment: its number and state, never its bytes. */
function presentDocument(x: Row<typeof documents>) {
  const { id, kind, status, numberLabel, number, register, year, sha256, verifyCode } = x;
  return { id, kind, status, numberLabel, number, register, year, issuedAt: iso(x.issuedAt), sha256, verifyCode };
}

/** A file of the dossier. */
function presentFile(f: Row<typeof dossierFiles>) {
  const { id, kind, fileName, contentType, size, sha256 } = f;
  return { id, kind, fileName, contentType, size, sha256, uploadedAt: f.uploadedAt.toISOString() };
}

/** A recommendation with the agency's latest answer. */
function presentRecommendation(r: DetailInput["recommendations"][number]) {
  const last = r.responses.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
  return {
    id: r.id,
    number: r.number,
    round: r.round,
    text: r.text,
    response: last ? { status: last.status, explanation: last.explanation, at: last.createdAt.toISOString() } : null,
  };
}

/** One row of the history. */
function presentTimelineEntry(h: Row<typeof history>) {
  return {
    at: h.createdAt.toISOString(),
    workflow: h.workflow,
    event: h.eventType,
    actor: h.actorName,
    from: h.fromState,
    to: h.toState,
    reason: h.reason,
    payload: h.payload,
  };
}

/** What the machine's context holds that the detail shows. */
function presentContext(ctx: Record<string, unknown>) {
  return {
    round: ctx.round ?? 1,
    missingDocuments: ctx.missingDocuments ?? [],
    plan: ctx.plan ?? null,
    minOpinions: ctx.minOpinions,
    minPanel: ctx.minPanel,
    workshop: ctx.workshop ?? null,
    extensionRequests: ctx.extensionRequests ?? [],
    returns: ctx.returns ?? [],
    reportVersion: ctx.reportVersion ?? 0,
  };
}

/** The whole assignment as one user may see it, with the events they may send now. */
export function presentAssignment(d: DetailInput) {
  const a = d.assignment;
  const words = wordsFor(d.locale ?? "vi");
  const ctx = ((a.snapshot as { context?: Record<string, unknown> })?.context ?? {}) as Record<string, unknown>;
  const pending = d.deadlines.filter((x) => x.status === "pending" || x.status === "paused");
  const next = pending.filter((x) => x.status === "pending").sort((x, y) => x.dueAt.getTime() - y.dueAt.getTime())[0];
  const { summary, subjectKind, draftingAgency, orderNumber, orderDate, budget } = a;
  return {
    ...presentAssignmentSummary(a, {
      agencyName: d.agencyName,
      nextDueAt: next?.dueAt ?? null,
      now: d.now,
      locale: d.locale,
    }),
    summary,
    subjectKind,
    draftingAgency,
    orderNumber,
    orderDate,
    budget,
    ...presentContext(ctx),
    can: d.allowedEvents.map((type) => ({ type, schema: eventJsonSchema(type) })),
    deadlines: pending.map((x) => presentDeadline(x, d.now)),
    panel: d.invitations.map((i) => presentSeat(i, d.showPanelContacts, words)),
    opinions: d.opinions.map(presentOpinion),
    documents: d.documents.map(presentDocument),
    files: d.files.map(presentFile),
    recommendations: d.recommendations.map(presentRecommendation),
    timeline: d.history.map(presentTimelineEntry),
  };
}
