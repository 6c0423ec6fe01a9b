/** Assignment → JSON for the API (and view models for pages). Pure functions. */
import { z } from "zod";
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
import { EVENT_SCHEMAS } from "../http/schemas.js";
import { FORM_LABELS, STATE_LABELS, TYPE_LABELS, WAITING_ON, PANEL_ROLE_LABELS } from "./labels.js";

type A = typeof assignments.$inferSelect;

const schemaCache = new Map<string, unknown>();
/** The JSON schema of an event's payload (computed once per type). */
function eventJsonSchema(type: string) {
  let s = schemaCache.get(type);
  if (!s) {
    s = z.toJSONSchema(EVENT_SCHEMAS[type as keyof typeof EVENT_SCHEMAS], { io: "input" });
    schemaCache.set(type, s);
  }
  return s;
}

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
  extra: { agencyName?: string | null; nextDueAt?: Date | null; now: Date },
) {
  return {
    id: a.id,
    code: a.code,
    title: a.title,
    type: a.type,
    typeLabel: TYPE_LABELS[a.type],
    forms: a.forms,
    formLabels: a.forms.map((f) => FORM_LABELS[f]),
    origin: a.origin,
    state: a.state,
    stateLabel: STATE_LABELS[a.state] ?? a.state,
    waitingOn: WAITING_ON[a.state] ?? null,
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
};

/** The whole assignment as one user may see it, with the events they may send now. */
export function presentAssignment(d: DetailInput) {
  const ctx = ((d.assignment.snapshot as { context?: Record<string, unknown> })?.context ?? {}) as Record<
    string,
    unknown
  >;
  const pending = d.deadlines.filter((x) => x.status === "pending" || x.status === "paused");
  const next = pending.filter((x) => x.status === "pending").sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())[0];
  return {
    ...presentAssignmentSummary(d.assignment, { agencyName: d.agencyName, nextDueAt: next?.dueAt ?? null, now: d.now }),
    summary: d.assignment.summary,
    subjectKind: d.assignment.subjectKind,
    draftingAgency: d.assignment.draftingAgency,
    orderNumber: d.assignment.orderNumber,
    orderDate: d.assignment.orderDate,
    budget: d.assignment.budget,
    round: ctx.round ?? 1,
    missingDocuments: ctx.missingDocuments ?? [],
    plan: ctx.plan ?? null,
    minOpinions: ctx.minOpinions,
    minPanel: ctx.minPanel,
    workshop: ctx.workshop ?? null,
    extensionRequests: ctx.extensionRequests ?? [],
    returns: ctx.returns ?? [],
    reportVersion: ctx.reportVersion ?? 0,
    can: d.allowedEvents.map((type) => ({ type, schema: eventJsonSchema(type) })),
    deadlines: pending.map((x) => ({
      key: x.key,
      workflow: x.workflow,
      dueAt: x.dueAt.toISOString(),
      status: x.status,
      overdue: x.status === "pending" && x.dueAt < d.now,
    })),
    panel: d.invitations.map((i) => ({
      invitationId: i.id,
      expertId: i.expertId,
      name: [i.expert.academicTitle, i.expert.fullName].filter(Boolean).join(" "),
      degree: i.expert.degree,
      workplace: i.expert.workplace,
      role: i.panelRole,
      roleLabel: PANEL_ROLE_LABELS[i.panelRole],
      rank: i.rank,
      state: i.state,
      dueAt: i.dueAt?.toISOString() ?? null,
      respondedAt: i.respondedAt?.toISOString() ?? null,
      ...(d.showPanelContacts ? { email: i.expert.email } : {}),
    })),
    opinions: d.opinions.map((o) => ({
      id: o.id,
      expertId: o.expertId,
      version: o.version,
      status: o.status,
      content: o.content,
      reason: o.reason,
      createdAt: o.createdAt.toISOString(),
      submittedAt: o.submittedAt?.toISOString() ?? null,
    })),
    documents: d.documents.map((x) => ({
      id: x.id,
      kind: x.kind,
      status: x.status,
      numberLabel: x.numberLabel,
      number: x.number,
      register: x.register,
      year: x.year,
      issuedAt: x.issuedAt?.toISOString() ?? null,
      sha256: x.sha256,
      verifyCode: x.verifyCode,
    })),
    files: d.files.map((f) => ({
      id: f.id,
      kind: f.kind,
      fileName: f.fileName,
      contentType: f.contentType,
      size: f.size,
      sha256: f.sha256,
      uploadedAt: f.uploadedAt.toISOString(),
    })),
    recommendations: d.recommendations.map((r) => {
      const last = r.responses.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
      return {
        id: r.id,
        number: r.number,
        round: r.round,
        text: r.text,
        response: last
          ? { status: last.status, explanation: last.explanation, at: last.createdAt.toISOString() }
          : null,
      };
    }),
    timeline: d.history.map((h) => ({
      at: h.createdAt.toISOString(),
      workflow: h.workflow,
      event: h.eventType,
      actor: h.actorName,
      from: h.fromState,
      to: h.toState,
      reason: h.reason,
      payload: h.payload,
    })),
  };
}
