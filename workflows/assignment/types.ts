/**
 * Types and codes of the assignment workflow: its context, input and the effects it asks for (its
 * events are typed next to the machine that handles them, in assignmentMachine.ts).
 * Plain JSON only: the context is persisted in the database.
 */

export type AssignmentType = "consultancy" | "critique" | "assessment";
export type WorkForm = "council" | "expert_group" | "workshop" | "written";
export type Origin = "ordered" | "self_initiated" | "annual_list";
export type PanelRole = "chair" | "secretary" | "member";
export type SeatStatus = "invited" | "accepted" | "declined" | "expired" | "cancelled";
export type ResponseStatus = "accepted" | "partly" | "not_accepted";

/** What the assignment is about (đề án, dự án, quy hoạch, …); words: `subjectKind.<code>` in the locales. */
export const SUBJECT_KINDS = [
  "scheme",
  "project",
  "master_plan",
  "plan",
  "programme",
  "draft_resolution",
  "draft_document",
  "other",
] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

/** Urgency marks of Decree 30 (khẩn, thượng khẩn, hỏa tốc); words: `urgency.<code>` in the locales. */
export const URGENCIES = ["urgent", "very_urgent", "immediate"] as const;
export type Urgency = (typeof URGENCIES)[number];

/**
 * Durations from organisation settings, all counted in working days on the organisation's calendar
 * (`reviewDays` and `responseDays` keep their historical names; the due date is a working day).
 */
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
  /** A declared conflict of interest not yet waived (a replaced seat keeps it, cancelled). */
  conflict: boolean;
  /** The secretariat's written reason for waiving the expert's declared conflict. */
  waiver?: string;
};

export type Candidate = { expertId: string; role: PanelRole };

export type AssignmentInput = {
  assignmentId: string;
  type: AssignmentType;
  forms: WorkForm[];
  origin: Origin;
  confidential: boolean;
  /** Whether an ordering agency placed it (absent: every origin but self-initiated). */
  hasAgency?: boolean;
  /**
   * Whether an answer to the result is awaited after delivery. Orders always (absent: by origin);
   * self-initiated work only when one of its chosen recipients is asked to answer.
   */
  awaitsResponse?: boolean;
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

/** Who is addressed by a mail the machine asks for; the runtime resolves it to addresses. */
export type Audience =
  /** The result's recipients: the ordering agency, or the authorities self-initiated work chose. */
  "recipients" | "agency" | "panel" | "secretariat" | "leadership" | { expertId: string } | { pendingExperts: true };

/** Effect and record parameters. Records are written in the same transaction; effects after commit. */
export type MailParams = { template: string; to: Audience; data?: Record<string, unknown> };
export type DocumentParams = { kind: string; issue?: boolean };
/**
 * `workingDays`: counted on the working calendar (every period a user or a setting gives); `days`:
 * calendar days, only where a rule says so, ending on the next working day when the last is a day off.
 * `from`: count from another deadline's due time (an extension) instead of now.
 */
export type DeadlineParams = {
  key: string;
  workingDays?: number;
  days?: number;
  from?: string;
  event: { type: "deadline.reached"; key: string } | { type: "invitation.expire" };
};
export type DeadlineKeyParams = { key: string };
export type InvitationsParams = { seats: Seat[] };

/** The kinds of file in an assignment's dossier; words: `fileKind.<code>` in the locales. */
export const DOSSIER_FILE_KINDS = [
  "request_letter",
  "draft",
  "submission",
  "annex",
  "supplement",
  "confidential_annex",
  "response_letter",
  "other",
] as const;
