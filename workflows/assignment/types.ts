/**
 * Types of the assignment workflow: its context, input, events and the effects it asks for.
 * Plain JSON only: the context is persisted in the database.
 */

export type AssignmentType = "consultancy" | "critique" | "assessment";
export type WorkForm = "council" | "expert_group" | "workshop" | "written";
export type Origin = "ordered" | "self_initiated" | "annual_list";
export type PanelRole = "chair" | "secretary" | "member";
export type SeatStatus = "invited" | "accepted" | "declined" | "expired" | "cancelled";
export type ResponseStatus = "accepted" | "partly" | "not_accepted";

/** Durations in working days (WD) or calendar days; all come from organisation settings. */
export type Timeline = {
  screeningWorkingDays: number;
  planningWorkingDays: number;
  invitationWorkingDays: number;
  reviewDays: number;
  consolidationWorkingDays: number;
  responseDays: number;
};

export type Seat = {
  invitationId: string;
  expertId: string;
  role: PanelRole;
  status: SeatStatus;
  conflict: boolean;
};

export type Candidate = { expertId: string; role: PanelRole };

export type AssignmentInput = {
  assignmentId: string;
  type: AssignmentType;
  forms: WorkForm[];
  origin: Origin;
  confidential: boolean;
  /** Minimum submitted opinions before review may close (a setting per form). */
  minOpinions: number;
  /** Minimum accepted panel seats before the panel may be proposed. */
  minPanel: number;
  timeline: Timeline;
};

export type AssignmentContext = AssignmentInput & {
  round: number;
  missingDocuments: string[];
  proposal: { kind: "accept" | "decline"; note: string } | null;
  declineReasons: string | null;
  plan: { reviewDays: number; costEstimate: number; workPlan: string } | null;
  panel: Seat[];
  alternates: Candidate[];
  panelApproved: boolean;
  opinions: Array<{ expertId: string; version: number }>;
  extensionRequests: Array<{
    expertId: string;
    days: number;
    reason: string;
    status: "pending" | "granted" | "refused";
  }>;
  workshop: { scheduledAt: string; place: string; minutesRecorded: boolean } | null;
  escalations: number;
  reportVersion: number;
  chairEndorsed: boolean;
  returns: Array<{ comments: string; reportVersion: number }>;
  recommendations: Array<{ id: string; number: number }>;
  answered: string[];
  reminders: number;
  /** Deadlines whose due instant has passed (review, review:<expertId>, response). */
  overdue: string[];
};

type P<T extends string, Payload = object> = { type: T } & Payload;

/** Every event the assignment accepts. Requests are imperative, reports are past tense. */
export type AssignmentEvent =
  | P<"order.register", { note?: string }>
  | P<"documents.request", { missingDocuments: string[]; note?: string }>
  | P<"documents.supply", { note?: string }>
  | P<"order.proposeAccept", { note?: string }>
  | P<"order.proposeDecline", { reasons: string }>
  | P<"order.accept", { note?: string }>
  | P<"order.decline", { note?: string }>
  | P<"proposal.return", { comments: string }>
  | P<"plan.submit", { workPlan: string; costEstimate: number; reviewDays?: number }>
  | P<"panel.invite", { members: Candidate[]; alternates?: Candidate[]; invitationIds: string[] }>
  | P<"invitation.accepted", { invitationId: string }>
  | P<"invitation.declined", { invitationId: string; conflict?: boolean; nextInvitationId?: string }>
  | P<"invitation.expired", { invitationId: string; nextInvitationId?: string }>
  | P<"panel.submit", { note?: string }>
  | P<"panel.approve", { note?: string }>
  | P<"panel.return", { comments: string }>
  | P<"opinion.submitted", { expertId: string; version: number }>
  | P<"extension.request", { expertId: string; days: number; reason: string }>
  | P<"extension.grant", { expertId: string; days?: number }>
  | P<"extension.refuse", { expertId: string; reason: string }>
  | P<"reminder.send", { expertId?: string }>
  | P<"workshop.schedule", { scheduledAt: string; place: string }>
  | P<"workshop.record", { minutes: string; attendees: string[] }>
  | P<"review.close", { note?: string }>
  | P<"report.drafted", { version: number }>
  | P<"report.submit", { note?: string }>
  | P<"report.endorse", { note?: string }>
  | P<"report.approve", { note?: string }>
  | P<"report.return", { comments: string }>
  | P<"report.issue", { recommendations: Array<{ id: string; number: number }> }>
  | P<"delivery.recorded", { channel: string; note?: string }>
  | P<"response.save", { answers: Array<{ recommendationId: string; status: ResponseStatus; explanation?: string }> }>
  | P<"response.submit", { answers: Array<{ recommendationId: string; status: ResponseStatus; explanation?: string }> }>
  | P<"assignment.close", { note?: string }>
  | P<"assignment.reopen", { reason: string }>
  | P<"assignment.hold", { reason: string }>
  | P<"assignment.resume", { note?: string }>
  | P<"assignment.withdraw", { reason: string }>
  | P<"deadline.reached", { key: string; level?: "secretariat" | "leadership" }>;

export type AssignmentEventType = AssignmentEvent["type"];

/** Who is addressed by a mail the machine asks for; the runtime resolves it to addresses. */
export type Audience =
  "agency" | "panel" | "secretariat" | "leadership" | { expertId: string } | { pendingExperts: true };

/** Effect and record parameters. Records are written in the same transaction; effects after commit. */
export type MailParams = { template: string; to: Audience; data?: Record<string, unknown> };
export type DocumentParams = { kind: string; issue?: boolean };
/** `from`: count from another deadline's due time (an extension) instead of now. */
export type DeadlineParams = {
  key: string;
  workingDays?: number;
  days?: number;
  from?: string;
  event: { type: "deadline.reached"; key: string } | { type: "invitation.expire" };
};
export type DeadlineKeyParams = { key: string };
export type InvitationsParams = { seats: Seat[] };
