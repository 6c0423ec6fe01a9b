/**
 * The database schema (Drizzle, PostgreSQL). Every tenant-owned table carries `organization_id`
 * and every query filters on it. Official records (history, submitted opinion versions, issued
 * documents, responses) are append-only: corrections are new rows.
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";

const id = () =>
  text("id")
    .primaryKey()
    .$defaultFn(() => randomUUID());
const org = () =>
  text("organization_id")
    .notNull()
    .references(() => organizations.id);
const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

/** A provincial Union: the tenant. `settings` holds names, signers, margins, timelines, rules. */
export const organizations = pgTable("organizations", {
  id: id(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  shortName: text("short_name").notNull(),
  /** The province the Union serves (the national view groups by it). */
  province: text("province"),
  settings: jsonb("settings").$type<Record<string, unknown>>().notNull().default({}),
  /** Set by the installation operator: nobody of a suspended Union signs in, its sessions and tokens stop. */
  suspendedAt: ts("suspended_at"),
  createdAt: createdAt(),
});

/**
 * The installation operators: above the Unions and in none of them. They create, rename, suspend
 * and re-activate Unions and create each one's first administrator; they read no Union's work.
 */
export const operators = pgTable("operators", {
  id: id(),
  email: text("email").notNull().unique(),
  fullName: text("full_name").notNull(),
  passwordHash: text("password_hash").notNull(),
  active: boolean("active").notNull().default(true),
  createdAt: createdAt(),
});

/** The operators' browser sessions (a cookie of their own; the table keeps only its SHA-256). */
export const operatorSessions = pgTable("operator_sessions", {
  id: text("id").primaryKey(),
  operatorId: text("operator_id")
    .notNull()
    .references(() => operators.id),
  csrfToken: text("csrf_token").notNull(),
  createdAt: createdAt(),
  expiresAt: ts("expires_at").notNull(),
  revokedAt: ts("revoked_at"),
});

export const memberAssociations = pgTable(
  "member_associations",
  {
    id: id(),
    organizationId: org(),
    name: text("name").notNull(),
    shortName: text("short_name"),
    createdAt: createdAt(),
  },
  (t) => [index("member_associations_org_idx").on(t.organizationId)],
);

/** An ordering agency (UBND tỉnh, a Sở, a district). */
export const agencies = pgTable(
  "agencies",
  {
    id: id(),
    organizationId: org(),
    name: text("name").notNull(),
    shortName: text("short_name"),
    email: text("email"),
    address: text("address"),
    createdAt: createdAt(),
  },
  (t) => [index("agencies_org_idx").on(t.organizationId)],
);

/** The expert registry, kept by the organisation. */
export const experts = pgTable(
  "experts",
  {
    id: id(),
    organizationId: org(),
    fullName: text("full_name").notNull(),
    academicTitle: text("academic_title"),
    degree: text("degree"),
    fields: text("fields")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    workplace: text("workplace"),
    memberAssociationId: text("member_association_id").references(() => memberAssociations.id),
    employerAgencyId: text("employer_agency_id").references(() => agencies.id),
    email: text("email"),
    phone: text("phone"),
    active: boolean("active").notNull().default(true),
    searchText: text("search_text").notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [index("experts_org_idx").on(t.organizationId)],
);

export const users = pgTable(
  "users",
  {
    id: id(),
    organizationId: org(),
    email: text("email").notNull(),
    fullName: text("full_name").notNull(),
    passwordHash: text("password_hash"),
    roles: text("roles").array().notNull(),
    agencyId: text("agency_id").references(() => agencies.id),
    /** For role "association": the member association the user speaks for (its plan proposals). */
    memberAssociationId: text("member_association_id").references(() => memberAssociations.id),
    expertId: text("expert_id").references(() => experts.id),
    locale: text("locale").notNull().default("vi"),
    active: boolean("active").notNull().default(true),
    /** When the user last marked their notifications seen (changes after it are new to them). */
    notificationsSeenAt: ts("notifications_seen_at"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("users_org_email_uq").on(t.organizationId, t.email)],
);

/** Browser sessions; the cookie holds a random token, the table only its SHA-256. */
export const sessions = pgTable("sessions", {
  id: text("id").primaryKey(),
  userId: text("user_id")
    .notNull()
    .references(() => users.id),
  organizationId: org(),
  csrfToken: text("csrf_token").notNull(),
  createdAt: createdAt(),
  expiresAt: ts("expires_at").notNull(),
  revokedAt: ts("revoked_at"),
});

/** Bearer tokens for integrations; only the SHA-256 is stored. */
export const apiTokens = pgTable("api_tokens", {
  id: id(),
  organizationId: org(),
  userId: text("user_id")
    .notNull()
    .references(() => users.id),
  name: text("name").notNull(),
  tokenHash: text("token_hash").notNull().unique(),
  createdAt: createdAt(),
  lastUsedAt: ts("last_used_at"),
  revokedAt: ts("revoked_at"),
});

/** One addressee of a self-initiated assignment's result (see `assignments.recipients`). */
export type ResultRecipient = { name: string; agencyId?: string; email?: string; answerRequested: boolean };

/** One assignment (nhiệm vụ TVPB&GĐXH) with its persisted machine snapshot. */
export const assignments = pgTable(
  "assignments",
  {
    id: id(),
    organizationId: org(),
    code: text("code").notNull(),
    type: text("type").notNull(),
    forms: text("forms").array().notNull(),
    subjectKind: text("subject_kind").notNull(),
    title: text("title").notNull(),
    summary: text("summary"),
    agencyId: text("agency_id").references(() => agencies.id),
    draftingAgency: text("drafting_agency"),
    origin: text("origin").notNull(),
    /** The annual list item this assignment carries out (origin "annual_list"); linked both ways. */
    planItemId: text("plan_item_id").references((): AnyPgColumn => planItems.id),
    orderNumber: text("order_number"),
    orderDate: date("order_date", { mode: "string" }),
    requestedDeadline: date("requested_deadline", { mode: "string" }),
    budget: numeric("budget", { precision: 14, scale: 0 }),
    confidential: boolean("confidential").notNull().default(false),
    /**
     * Who receives the result of self-initiated work (chủ động): the authorities the Union chose
     * (Tỉnh ủy, HĐND tỉnh, UBND tỉnh, a Sở…), each from the agencies table or by name, and whether
     * each is asked to answer. Null for orders, whose result goes to the ordering agency.
     */
    recipients: jsonb("recipients").$type<ResultRecipient[]>(),
    urgency: text("urgency"),
    state: text("state").notNull(),
    machineVersion: integer("machine_version").notNull(),
    snapshot: jsonb("snapshot").$type<unknown>().notNull(),
    version: integer("version").notNull().default(1),
    searchText: text("search_text").notNull(),
    createdBy: text("created_by").references(() => users.id),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    /**
     * The earliest pending deadline of the assignment's own workflow (null: none). Kept by the
     * trigger `deadlines_next_due` (migration perf2_next_due_trigger) in the transaction that writes
     * the deadlines, so lists ordered or filtered by due date read an index, never an aggregate.
     */
    nextDueAt: ts("next_due_at"),
  },
  (t) => [
    uniqueIndex("assignments_org_code_uq").on(t.organizationId, t.code),
    index("assignments_org_state_idx").on(t.organizationId, t.state, t.updatedAt),
    index("assignments_org_agency_idx").on(t.organizationId, t.agencyId),
    // Sortable list columns, each with the id as tie-break: the keyset cursor (sort value, id)
    // reads a page through the index and stops (server/queries/listAssignments.ts).
    index("assignments_org_created_id_idx").on(t.organizationId, t.createdAt, t.id),
    // The few confidential assignments: the dashboard adds those a non-reader may see to the
    // roll-up's open counts (server/queries/loadDashboardFigures.ts).
    index("assignments_org_confidential_idx")
      .on(t.organizationId)
      .where(sql`${t.confidential}`),
    index("assignments_org_next_due_idx").on(
      t.organizationId,
      sql`coalesce(${t.nextDueAt}, 'infinity'::timestamptz)`,
      t.id,
    ),
    index("assignments_org_title_idx").on(t.organizationId, sql`${t.title} collate "und-x-icu"`, t.id),
    index("assignments_org_state_id_idx").on(t.organizationId, t.state, t.id),
    // The dashboard's "what waits on me": each waiting state's rows by due date (listAssignments' waitingIds).
    index("assignments_org_state_due_idx").on(
      t.organizationId,
      t.state,
      sql`coalesce(${t.nextDueAt}, 'infinity'::timestamptz)`,
      t.id,
    ),
    // Lists read a page in order and stop: by top-level state (the filter), and by recency (search
    // and the unfiltered list). See docs/BENCHMARKS.md, "Scale".
    index("assignments_org_phase_updated_idx").on(
      t.organizationId,
      sql`split_part(${t.state}, '.', 1)`,
      t.updatedAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    index("assignments_org_updated_idx").on(
      t.organizationId,
      t.updatedAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
  ],
);

/** People working on an assignment; for confidential ones, the only staff who may see it. */
export const assignmentStaff = pgTable(
  "assignment_staff",
  {
    assignmentId: text("assignment_id")
      .notNull()
      .references(() => assignments.id),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    organizationId: org(),
    addedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.assignmentId, t.userId] })],
);

/** Content-addressed file bytes (dossier files, issued PDFs). */
export const blobs = pgTable("blobs", {
  sha256: text("sha256").primaryKey(),
  size: integer("size").notNull(),
  bytes: bytea("bytes").notNull(),
  createdAt: createdAt(),
});

export const dossierFiles = pgTable(
  "dossier_files",
  {
    id: id(),
    organizationId: org(),
    assignmentId: text("assignment_id")
      .notNull()
      .references(() => assignments.id),
    kind: text("kind").notNull(),
    fileName: text("file_name").notNull(),
    contentType: text("content_type").notNull(),
    size: integer("size").notNull(),
    sha256: text("sha256")
      .notNull()
      .references(() => blobs.sha256),
    confidential: boolean("confidential").notNull().default(false),
    uploadedBy: text("uploaded_by").references(() => users.id),
    uploadedAt: createdAt(),
  },
  (t) => [index("dossier_files_assignment_idx").on(t.assignmentId)],
);

/** One invitation of one expert, with its own small machine (invited → accepted | declined | expired). */
export const invitations = pgTable(
  "invitations",
  {
    id: id(),
    organizationId: org(),
    assignmentId: text("assignment_id")
      .notNull()
      .references(() => assignments.id),
    expertId: text("expert_id")
      .notNull()
      .references(() => experts.id),
    panelRole: text("panel_role").notNull(),
    rank: integer("rank").notNull().default(0),
    state: text("state").notNull(),
    snapshot: jsonb("snapshot").$type<unknown>().notNull(),
    machineVersion: integer("machine_version").notNull(),
    version: integer("version").notNull().default(1),
    declaration: jsonb("declaration").$type<Record<string, unknown>>(),
    declineReason: text("decline_reason"),
    dueAt: ts("due_at"),
    createdAt: createdAt(),
    respondedAt: ts("responded_at"),
  },
  (t) => [
    index("invitations_assignment_idx").on(t.assignmentId),
    index("invitations_expert_idx").on(t.organizationId, t.expertId),
  ],
);

/** Expert opinions, versioned: a submitted version is read-only; edits are new versions. */
export const opinionVersions = pgTable(
  "opinion_versions",
  {
    id: id(),
    organizationId: org(),
    assignmentId: text("assignment_id")
      .notNull()
      .references(() => assignments.id),
    expertId: text("expert_id")
      .notNull()
      .references(() => experts.id),
    version: integer("version").notNull(),
    status: text("status").notNull(),
    content: jsonb("content").$type<Record<string, unknown>>().notNull(),
    reason: text("reason"),
    authorId: text("author_id").references(() => users.id),
    createdAt: createdAt(),
    submittedAt: ts("submitted_at"),
  },
  (t) => [
    uniqueIndex("opinion_versions_uq").on(t.assignmentId, t.expertId, t.version),
    // The national view asks, per expert, whether they gave an opinion (issue 15): an index probe.
    index("opinion_versions_expert_idx").on(t.organizationId, t.expertId),
  ],
);

/**
 * Files an expert attaches to their opinion (tables, photos, an annotated draft): checked like the
 * dossier's (size, type, the bytes' signature), kept once by SHA-256 in `blobs`, never edited.
 */
export const opinionAttachments = pgTable(
  "opinion_attachments",
  {
    id: id(),
    organizationId: org(),
    assignmentId: text("assignment_id")
      .notNull()
      .references(() => assignments.id),
    expertId: text("expert_id")
      .notNull()
      .references(() => experts.id),
    fileName: text("file_name").notNull(),
    contentType: text("content_type").notNull(),
    size: integer("size").notNull(),
    sha256: text("sha256")
      .notNull()
      .references(() => blobs.sha256),
    uploadedBy: text("uploaded_by").references(() => users.id),
    uploadedAt: createdAt(),
  },
  (t) => [index("opinion_attachments_assignment_idx").on(t.assignmentId, t.expertId)],
);

/** Consolidated report drafts, versioned; paragraphs cite the opinion versions they draw on. */
export const reportVersions = pgTable(
  "report_versions",
  {
    id: id(),
    organizationId: org(),
    assignmentId: text("assignment_id")
      .notNull()
      .references(() => assignments.id),
    version: integer("version").notNull(),
    content: jsonb("content").$type<Record<string, unknown>>().notNull(),
    authorId: text("author_id").references(() => users.id),
    note: text("note"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("report_versions_uq").on(t.assignmentId, t.version)],
);

/** Numbered recommendations of an approved report, which the agency answers one by one. */
export const recommendations = pgTable(
  "recommendations",
  {
    id: id(),
    organizationId: org(),
    assignmentId: text("assignment_id")
      .notNull()
      .references(() => assignments.id),
    round: integer("round").notNull().default(1),
    number: integer("number").notNull(),
    text: text("text").notNull(),
    reportVersion: integer("report_version").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("recommendations_uq").on(t.assignmentId, t.round, t.number)],
);

/** The agency's answers; append-only, the newest per recommendation counts. */
export const recommendationResponses = pgTable(
  "recommendation_responses",
  {
    id: id(),
    organizationId: org(),
    assignmentId: text("assignment_id")
      .notNull()
      .references(() => assignments.id),
    recommendationId: text("recommendation_id")
      .notNull()
      .references(() => recommendations.id),
    status: text("status").notNull(),
    explanation: text("explanation"),
    respondedBy: text("responded_by").references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [index("recommendation_responses_rec_idx").on(t.recommendationId)],
);

/** Append-only history of every event applied to a workflow. */
export const history = pgTable(
  "history",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    organizationId: org(),
    /** Null for workflows of their own (an annual plan: workflow "annualPlan"). */
    assignmentId: text("assignment_id").references(() => assignments.id),
    workflow: text("workflow").notNull(),
    workflowId: text("workflow_id").notNull(),
    version: integer("version").notNull(),
    actorId: text("actor_id"),
    actorName: text("actor_name").notNull(),
    eventType: text("event_type").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    fromState: text("from_state"),
    toState: text("to_state").notNull(),
    reason: text("reason"),
    createdAt: createdAt(),
  },
  (t) => [
    index("history_assignment_idx").on(t.assignmentId, t.id),
    // The header's "changed since I last looked" reads the organisation's newest rows first.
    index("history_org_created_idx").on(t.organizationId, t.createdAt, t.id),
    // Unique since 0000_init.sql (one history row per workflow version); declared so here too, so
    // drizzle-kit does not propose to drop it.
    uniqueIndex("history_workflow_version_uq").on(t.workflowId, t.version),
  ],
);

/** The effects outbox: written in the same transaction as the state change that asks for it. */
export const effects = pgTable(
  "effects",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    organizationId: org(),
    assignmentId: text("assignment_id"),
    kind: text("kind").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    idempotencyKey: text("idempotency_key").notNull().unique(),
    status: text("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    runAfter: ts("run_after").notNull(),
    lockedUntil: ts("locked_until"),
    /** The worker holding the lease (a random id per worker); with `attempts` it fences late writes. */
    lockedBy: text("locked_by"),
    lastError: text("last_error"),
    createdAt: createdAt(),
    doneAt: ts("done_at"),
  },
  (t) => [index("effects_pending_idx").on(t.status, t.runAfter)],
);

/** Deadlines as data: an absolute due time that the timer worker turns into an event. */
export const deadlines = pgTable(
  "deadlines",
  {
    id: id(),
    organizationId: org(),
    /** Null for organisation-wide timers (workflow "organization": the secretariat's daily digest). */
    assignmentId: text("assignment_id").references(() => assignments.id),
    workflow: text("workflow").notNull(),
    workflowId: text("workflow_id").notNull(),
    key: text("key").notNull(),
    dueAt: ts("due_at").notNull(),
    event: jsonb("event").$type<Record<string, unknown>>().notNull(),
    status: text("status").notNull().default("pending"),
    remainingMs: integer("remaining_ms"),
    createdAt: createdAt(),
    firedAt: ts("fired_at"),
  },
  (t) => [
    index("deadlines_due_idx").on(t.status, t.dueAt),
    index("deadlines_workflow_idx").on(t.workflowId, t.key),
    // The assignment page, cancelAllDeadlines and mail data read an assignment's deadlines by
    // assignment_id; without this they scan every deadline of every assignment (bench: scale).
    index("deadlines_assignment_idx").on(t.assignmentId, t.status),
    // Organisation-wide timers (the digest at start-up): a small index, not a scan of every deadline.
    index("deadlines_org_timer_idx")
      .on(t.organizationId, t.workflow, t.key)
      .where(sql`${t.assignmentId} is null`),
  ],
);

/**
 * A roll-up row's slot: the writing connection's `pg_backend_pid() % 16` (SQL `rollup_slot()`, used by
 * the roll-up triggers of migration lock9_rollup_slots). Two transactions that change the same count
 * (two orders arriving, two assignments leaving one state) each add to their own connection's row
 * instead of queueing on one row lock until the first commits; readers sum over the slots. PGlite's
 * one connection writes one slot.
 */
const rollupSlot = () => smallint("slot").notNull().default(0);

/**
 * Issue 15, the dashboard's charts flat: how many assignments each organisation holds per
 * confidentiality, state, type and month of arrival (YYYY-MM in Asia/Ho_Chi_Minh). Kept by the
 * statement-level triggers `assignments_counts_*` (migration perf4_rollup_triggers) in the
 * transaction that writes the assignments, so the charts read a few rows, never the table.
 */
export const assignmentCounts = pgTable(
  "assignment_counts",
  {
    organizationId: org(),
    confidential: boolean("confidential").notNull(),
    state: text("state").notNull(),
    type: text("type").notNull(),
    month: text("month").notNull(),
    n: integer("n").notNull(),
    slot: rollupSlot(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.confidential, t.state, t.type, t.month, t.slot] })],
);

/**
 * Issue 15: how many of an organisation's assignment deadlines ended per key and outcome ("fired":
 * missed; "cancelled": met), for the dashboard's on-time chart. Kept by the triggers
 * `deadlines_outcomes_*` (migration perf4_rollup_triggers); counts only workflow "assignment" and
 * keys without "#".
 */
export const deadlineOutcomes = pgTable(
  "deadline_outcomes",
  {
    organizationId: org(),
    key: text("key").notNull(),
    status: text("status").notNull(),
    n: integer("n").notNull(),
    slot: rollupSlot(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.key, t.status, t.slot] })],
);

/**
 * Issue 15, stage durations as data: each stay of an assignment in a top-level stage (the part of
 * its state before the first "."), from the history row that entered the stage to the one that
 * left it (`left_at` null while it lasts). Kept by the statement-level trigger `history_stage_stays`
 * (migration flat6_stage_trigger) in the transaction that writes the history, so every writer
 * (events, corrections, the benchmark's cloned rows) keeps it exact. Read per assignment (the few
 * assignments a reader sees one by one); the organisation-wide figures read `stage_day_counts`.
 */
export const stageStays = pgTable(
  "stage_stays",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    organizationId: org(),
    assignmentId: text("assignment_id").notNull(),
    stage: text("stage").notNull(),
    enteredAt: timestamp("entered_at", { withTimezone: true }).notNull(),
    leftAt: timestamp("left_at", { withTimezone: true }),
  },
  (t) => [
    index("stage_stays_assignment_idx").on(t.assignmentId, t.id),
    index("stage_stays_open_idx")
      .on(t.assignmentId)
      .where(sql`${t.leftAt} is null`),
  ],
);

/**
 * Issue 15: the finished stays of each organisation per stage and Vietnam date: how many began
 * (`starts`) and ended (`ends`) that day, and the seconds the stays ending that day lasted. A
 * stay's working days are C(end day) − C(start day) for the calendar's running count C of working
 * days, so a stage's total is Σ ends·C − Σ starts·C over a few hundred dates, whatever the number
 * of assignments (the end day is never before the start day: a stay is never negative). Kept by
 * the same trigger as `stage_stays`.
 */
export const stageDayCounts = pgTable(
  "stage_day_counts",
  {
    organizationId: org(),
    stage: text("stage").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    starts: integer("starts").notNull(),
    ends: integer("ends").notNull(),
    seconds: numeric("seconds").notNull(),
    slot: rollupSlot(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.stage, t.day, t.slot] })],
);

/**
 * Issue 15, the national view flat: how many assignments each organisation holds per form (each
 * of an assignment's forms counts once) and per origin (`dim` "form" or "origin"). Type and state
 * come from `assignment_counts`. Kept by the triggers `assignments_tallies_*` (migration
 * flat6_national_trigger) in the transaction that writes the assignments.
 */
export const assignmentTallies = pgTable(
  "assignment_tallies",
  {
    organizationId: org(),
    dim: text("dim").notNull(),
    code: text("code").notNull(),
    n: integer("n").notNull(),
    slot: rollupSlot(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.dim, t.code, t.slot] })],
);

/**
 * Issue 15, the national view and the dashboard's adoption chart flat: per organisation and ordering
 * agency (the assignment's, fixed when it is ordered; '' for none), how many recommendations have
 * each answer as their newest (by time of answer). Kept by the trigger
 * `recommendation_responses_answers` (migrations flat6_national_trigger, answer_counts_agency);
 * answers are appended, never changed or deleted.
 */
export const answerCounts = pgTable(
  "answer_counts",
  {
    organizationId: org(),
    agencyId: text("agency_id").notNull().default(""),
    status: text("status").notNull(),
    n: integer("n").notNull(),
    slot: rollupSlot(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.agencyId, t.status, t.slot] })],
);

/** Organisation holidays per year (weekends are a setting). */
export const holidays = pgTable(
  "holidays",
  {
    organizationId: org(),
    day: date("day", { mode: "string" }).notNull(),
    name: text("name").notNull(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.day] })],
);

/** Numbering registers: the last number taken per organisation, register and year. */
export const registers = pgTable(
  "registers",
  {
    organizationId: org(),
    register: text("register").notNull(),
    year: integer("year").notNull(),
    lastNumber: integer("last_number").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.register, t.year] })],
);

/** Official documents: drafts are re-rendered; issued ones are immutable stored bytes. */
export const documents = pgTable(
  "documents",
  {
    id: id(),
    organizationId: org(),
    assignmentId: text("assignment_id").references(() => assignments.id),
    kind: text("kind").notNull(),
    title: text("title").notNull(),
    status: text("status").notNull(),
    register: text("register"),
    year: integer("year"),
    number: integer("number"),
    numberLabel: text("number_label"),
    sha256: text("sha256").references(() => blobs.sha256),
    verifyCode: text("verify_code").unique(),
    correctsId: text("corrects_id"),
    viewModel: jsonb("view_model").$type<Record<string, unknown>>(),
    issuedBy: text("issued_by").references(() => users.id),
    issuedAt: ts("issued_at"),
    /** The organisation's template-set version the issued PDF was rendered with (0: the built-in set). */
    templateVersion: integer("template_version"),
    createdAt: createdAt(),
  },
  (t) => [
    index("documents_assignment_idx").on(t.assignmentId),
    // The document register: newest first, a page at a time (server/queries/listDocuments.ts).
    index("documents_org_issued_idx")
      .on(t.organizationId, t.issuedAt.desc().nullsFirst(), t.id.desc().nullsFirst())
      .where(sql`${t.status} in ('issuing', 'issued')`),
    uniqueIndex("documents_number_uq").on(t.organizationId, t.register, t.year, t.number),
  ],
);

/**
 * An organisation's own document templates, every process's one source: each save appends a row
 * with the organisation's next version (a null source: back to the built-in template of that kind).
 * The highest version is the set in use; a process compares it with the set it compiled before each use.
 */
export const documentTemplates = pgTable(
  "document_templates",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    organizationId: org(),
    kind: text("kind").notNull(),
    version: integer("version").notNull(),
    source: text("source"),
    authorId: text("author_id"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("document_templates_version_uq").on(t.organizationId, t.version)],
);

/**
 * The organisation's signing keys (PKCS#12), one active at a time. The key material is stored only
 * encrypted (AES-256-GCM, server/signing/keyVault.ts) and wiped when the key is replaced or removed;
 * the row stays as the history of who installed and retired which certificate, and when.
 */
export const signingKeys = pgTable(
  "signing_keys",
  {
    id: id(),
    organizationId: org(),
    /** `active`, `replaced` or `removed`. */
    status: text("status").notNull(),
    /** The sealed PKCS#12 and passphrase; null once retired. */
    sealed: bytea("sealed"),
    subject: text("subject").notNull(),
    issuer: text("issuer").notNull(),
    serialNumber: text("serial_number").notNull(),
    notBefore: ts("not_before").notNull(),
    notAfter: ts("not_after").notNull(),
    /** SHA-256 of the certificate (DER), hex. */
    certificateSha256: text("certificate_sha256").notNull(),
    signerName: text("signer_name"),
    installedBy: text("installed_by").references(() => users.id),
    installedAt: ts("installed_at").notNull(),
    retiredBy: text("retired_by").references(() => users.id),
    retiredAt: ts("retired_at"),
  },
  (t) => [
    uniqueIndex("signing_keys_active_uq")
      .on(t.organizationId)
      .where(sql`${t.status} = 'active'`),
    index("signing_keys_org_idx").on(t.organizationId, t.installedAt),
  ],
);

/**
 * Signatures added to an issued document after it was issued (signed elsewhere, e.g. with a USB
 * token): the bytes it had before and after. Append-only; the previous bytes stay in `blobs`.
 */
export const documentSignatures = pgTable(
  "document_signatures",
  {
    id: id(),
    organizationId: org(),
    documentId: text("document_id")
      .notNull()
      .references(() => documents.id),
    previousSha256: text("previous_sha256")
      .notNull()
      .references(() => blobs.sha256),
    sha256: text("sha256")
      .notNull()
      .references(() => blobs.sha256),
    signerSubject: text("signer_subject").notNull(),
    signerSerial: text("signer_serial").notNull(),
    uploadedBy: text("uploaded_by").references(() => users.id),
    uploadedAt: ts("uploaded_at").notNull(),
  },
  (t) => [index("document_signatures_document_idx").on(t.documentId)],
);

/** Mail sent or to be sent; the idempotency key makes a retried send recognisable. */
export const mailMessages = pgTable(
  "mail_messages",
  {
    id: id(),
    organizationId: org(),
    assignmentId: text("assignment_id"),
    idempotencyKey: text("idempotency_key").notNull().unique(),
    messageId: text("message_id").notNull(),
    template: text("template").notNull(),
    recipients: jsonb("recipients").$type<unknown>().notNull(),
    subject: text("subject").notNull(),
    status: text("status").notNull(),
    attempts: integer("attempts").notNull().default(0),
    error: text("error"),
    file: text("file"),
    createdAt: createdAt(),
    sentAt: ts("sent_at"),
  },
  (t) => [
    index("mail_messages_assignment_idx").on(t.assignmentId),
    // The demo outbox: the organisation's messages with a file, newest first (server/queries/listOutbox.ts).
    index("mail_messages_org_sent_idx")
      .on(t.organizationId, t.sentAt.desc().nullsFirst(), t.createdAt.desc().nullsFirst())
      .where(sql`${t.file} is not null`),
  ],
);

/**
 * The SMTP acceptance journal, shared by every process: a Message-ID is recorded here once the SMTP
 * server accepted it (250 after DATA), before the mailer reports the message sent. A message left
 * "sending" by a crashed process is not sent again when its Message-ID is here.
 */
export const mailAcceptances = pgTable("mail_acceptances", {
  messageId: text("message_id").primaryKey(),
  acceptedAt: ts("accepted_at").notNull(),
});

/**
 * The installation's clock offset outside production (issue 11 §10): how far every process's clock
 * runs ahead of the real time, shared through the database so all processes see the same time.
 * One row per installation (`key` "installation"; tests use keys of their own). Only ever grows.
 */
export const installationClock = pgTable("installation_clock", {
  key: text("key").primaryKey(),
  offsetMs: bigint("offset_ms", { mode: "number" }).notNull().default(0),
  movedAt: timestamp("moved_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
});

/** Single-use link tokens: a jti is consumed once. */
export const usedTokens = pgTable("used_tokens", {
  jti: text("jti").primaryKey(),
  usedAt: createdAt(),
});

// ---------------------------------------------------------------------------------------------
// The year's plan and its money (issue 16): annual plans with their persisted machine snapshot,
// plan items and their versions, submissions to the province and its decisions, the rates table,
// estimates with their lines and adjustments, and payments. Official records are append-only: item
// versions, submissions, decisions, estimate versions and payments are never updated in place (a
// payment is corrected by a reversal row). Amounts are whole đồng in `bigint` columns read as JS
// numbers (server/money/dong.ts checks them). They live in this file because assignments and plan
// items reference each other.

const at = (name: string) => timestamp(name, { withTimezone: true, mode: "date" }).notNull().defaultNow();
const dong = (name: string) => bigint(name, { mode: "number" });
const day = (name: string) => date(name, { mode: "string" });
const userRef = (name: string) => text(name).references(() => users.id);

/** One year's list (danh mục TVPB&GĐXH năm …) with its persisted annual plan machine snapshot. */
export const annualPlans = pgTable(
  "annual_plans",
  {
    id: id(),
    organizationId: org(),
    year: integer("year").notNull(),
    title: text("title").notNull(),
    proposalsDueOn: day("proposals_due_on").notNull(),
    state: text("state").notNull(),
    machineVersion: integer("machine_version").notNull(),
    snapshot: jsonb("snapshot").$type<unknown>().notNull(),
    version: integer("version").notNull().default(1),
    /** The list version in force (0 until the province approves the initial list). */
    approvedVersion: integer("approved_version").notNull().default(0),
    createdBy: userRef("created_by"),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("annual_plans_org_year_uq").on(t.organizationId, t.year)],
);

/** One item of a plan; its status, rank and quarter are the machine's, projected here. */
export const planItems = pgTable(
  "plan_items",
  {
    id: id(),
    organizationId: org(),
    planId: text("plan_id")
      .notNull()
      .references(() => annualPlans.id),
    /** Order of arrival in the plan (1, 2, 3…), for a stable code such as "DM2027-05". */
    number: integer("number").notNull(),
    status: text("status").notNull(),
    rank: integer("rank"),
    quarter: integer("quarter").notNull(),
    proposerKind: text("proposer_kind").notNull(),
    agencyId: text("agency_id").references(() => agencies.id),
    memberAssociationId: text("member_association_id").references(() => memberAssociations.id),
    mergedIntoId: text("merged_into_id").references((): AnyPgColumn => planItems.id),
    assignmentId: text("assignment_id").references(() => assignments.id),
    addedInVersion: integer("added_in_version").notNull(),
    currentVersion: integer("current_version").notNull().default(1),
    createdBy: userRef("created_by"),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("plan_items_plan_number_uq").on(t.planId, t.number),
    index("plan_items_org_plan_status_idx").on(t.organizationId, t.planId, t.status),
    index("plan_items_assignment_idx").on(t.assignmentId),
    check("plan_items_quarter_ck", sql`${t.quarter} between 1 and 4`),
  ],
);

/** Every version of an item's content: proposed, edited, changed by an amendment or a decision. */
export const planItemVersions = pgTable(
  "plan_item_versions",
  {
    id: id(),
    organizationId: org(),
    itemId: text("item_id")
      .notNull()
      .references(() => planItems.id),
    version: integer("version").notNull(),
    /** The list version this content belongs to (1 the initial list, n an amendment). */
    listVersion: integer("list_version").notNull(),
    title: text("title").notNull(),
    type: text("type").notNull(),
    forms: text("forms").array().notNull(),
    subjectKind: text("subject_kind"),
    orderingAgencyId: text("ordering_agency_id").references(() => agencies.id),
    draftingAgency: text("drafting_agency"),
    quarter: integer("quarter").notNull(),
    rationale: text("rationale").notNull(),
    estimatedCost: dong("estimated_cost").notNull(),
    /** The budget the province approved with this version (set by a decision). */
    approvedBudget: dong("approved_budget"),
    /** The event that made this version (proposal.submit, item.edit, item.change, decision.record…). */
    source: text("source").notNull(),
    reason: text("reason"),
    authorId: userRef("author_id"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("plan_item_versions_uq").on(t.itemId, t.version),
    check("plan_item_versions_cost_ck", sql`${t.estimatedCost} >= 0 and coalesce(${t.approvedBudget}, 0) >= 0`),
  ],
);

/** A list sent to the province with its Tờ trình: the items in their order, as sent. */
export const planSubmissions = pgTable(
  "plan_submissions",
  {
    id: id(),
    organizationId: org(),
    planId: text("plan_id")
      .notNull()
      .references(() => annualPlans.id),
    listVersion: integer("list_version").notNull(),
    /** 1, then 2 after the province returned version n and it was sent again. */
    attempt: integer("attempt").notNull().default(1),
    kind: text("kind").notNull(),
    /** `[{ itemId, version }]` in the order of the list. */
    items: jsonb("items").$type<Array<{ itemId: string; version: number }>>().notNull(),
    documentId: text("document_id").references(() => documents.id),
    outcome: text("outcome").notNull().default("pending"),
    returnComments: text("return_comments"),
    submittedBy: userRef("submitted_by"),
    submittedAt: at("submitted_at"),
  },
  (t) => [uniqueIndex("plan_submissions_uq").on(t.planId, t.listVersion, t.attempt)],
);

/** The province's decision approving a list version, with the uploaded decision file. */
export const planDecisions = pgTable(
  "plan_decisions",
  {
    id: id(),
    organizationId: org(),
    planId: text("plan_id")
      .notNull()
      .references(() => annualPlans.id),
    submissionId: text("submission_id")
      .notNull()
      .references(() => planSubmissions.id),
    listVersion: integer("list_version").notNull(),
    /** As printed by the province, e.g. "245/QĐ-UBND". */
    number: text("number").notNull(),
    decidedOn: day("decided_on").notNull(),
    issuer: text("issuer").notNull(),
    fileSha256: text("file_sha256")
      .notNull()
      .references(() => blobs.sha256),
    fileName: text("file_name").notNull(),
    contentType: text("content_type").notNull(),
    /** `{ cut: [itemId], changed: [{ itemId, … }], kept: [itemId] }` as recorded. */
    outcomes: jsonb("outcomes").$type<Record<string, unknown>>().notNull(),
    recordedBy: userRef("recorded_by"),
    recordedAt: at("recorded_at"),
  },
  (t) => [uniqueIndex("plan_decisions_plan_version_uq").on(t.planId, t.listVersion)],
);

/** The rates table (định mức chi): item × panel role × amount × effective dates × legal basis. */
export const rates = pgTable(
  "rates",
  {
    id: id(),
    organizationId: org(),
    item: text("item").notNull(),
    role: text("role"),
    label: text("label").notNull(),
    unit: text("unit").notNull(),
    amount: dong("amount").notNull(),
    effectiveFrom: day("effective_from").notNull(),
    effectiveTo: day("effective_to"),
    legalBasis: text("legal_basis").notNull(),
    createdBy: userRef("created_by"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("rates_org_item_role_from_uq").on(
      t.organizationId,
      t.item,
      sql`coalesce(${t.role}, '')`,
      t.effectiveFrom,
    ),
    check("rates_amount_ck", sql`${t.amount} >= 0`),
    check("rates_dates_ck", sql`${t.effectiveTo} is null or ${t.effectiveTo} >= ${t.effectiveFrom}`),
  ],
);

/** An assignment's cost estimate (dự toán), versioned: an adjustment is a new version. */
export const estimates = pgTable(
  "estimates",
  {
    id: id(),
    organizationId: org(),
    assignmentId: text("assignment_id")
      .notNull()
      .references(() => assignments.id),
    planItemId: text("plan_item_id").references(() => planItems.id),
    version: integer("version").notNull(),
    /** The day whose rates apply. */
    ratesOn: day("rates_on").notNull(),
    /** The work priced: panel by role, forms, sessions, travel, printing (server/money EstimateWork). */
    work: jsonb("work").$type<Record<string, unknown>>().notNull(),
    subtotal: dong("subtotal").notNull(),
    total: dong("total").notNull(),
    budget: dong("budget"),
    status: text("status").notNull().default("draft"),
    reason: text("reason"),
    createdBy: userRef("created_by"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("estimates_assignment_version_uq").on(t.assignmentId, t.version),
    check("estimates_total_ck", sql`${t.total} >= 0 and ${t.subtotal} >= 0`),
  ],
);

export const estimateLines = pgTable(
  "estimate_lines",
  {
    id: id(),
    organizationId: org(),
    estimateId: text("estimate_id")
      .notNull()
      .references(() => estimates.id),
    position: integer("position").notNull(),
    item: text("item").notNull(),
    role: text("role"),
    label: text("label").notNull(),
    unit: text("unit").notNull(),
    quantity: integer("quantity").notNull(),
    unitAmount: dong("unit_amount").notNull(),
    amount: dong("amount").notNull(),
    rateId: text("rate_id")
      .notNull()
      .references(() => rates.id),
    legalBasis: text("legal_basis").notNull(),
  },
  (t) => [
    uniqueIndex("estimate_lines_uq").on(t.estimateId, t.position),
    check("estimate_lines_amount_ck", sql`${t.amount} = ${t.quantity} * ${t.unitAmount} and ${t.quantity} > 0`),
  ],
);

export const estimateAdjustments = pgTable(
  "estimate_adjustments",
  {
    id: id(),
    organizationId: org(),
    estimateId: text("estimate_id")
      .notNull()
      .references(() => estimates.id),
    position: integer("position").notNull(),
    label: text("label").notNull(),
    amount: dong("amount").notNull(),
    reason: text("reason").notNull(),
  },
  (t) => [
    uniqueIndex("estimate_adjustments_uq").on(t.estimateId, t.position),
    check("estimate_adjustments_ck", sql`${t.amount} <> 0 and length(trim(${t.reason})) > 0`),
  ],
);

/** Payments as recorded with their vouchers; append-only, a mistake is a reversal row. */
export const payments = pgTable(
  "payments",
  {
    id: id(),
    organizationId: org(),
    assignmentId: text("assignment_id").references(() => assignments.id),
    planItemId: text("plan_item_id").references(() => planItems.id),
    payeeKind: text("payee_kind").notNull(),
    expertId: text("expert_id").references(() => experts.id),
    payeeName: text("payee_name").notNull(),
    item: text("item").notNull(),
    description: text("description").notNull(),
    amount: dong("amount").notNull(),
    taxWithheld: dong("tax_withheld").notNull().default(0),
    paidOn: day("paid_on").notNull(),
    voucherNumber: text("voucher_number").notNull(),
    reversesId: text("reverses_id").references((): AnyPgColumn => payments.id),
    recordedBy: userRef("recorded_by"),
    recordedAt: at("recorded_at"),
  },
  (t) => [
    index("payments_org_paid_idx").on(t.organizationId, t.paidOn),
    index("payments_org_expert_idx").on(t.organizationId, t.expertId, t.paidOn),
    index("payments_assignment_idx").on(t.assignmentId),
    check("payments_amount_ck", sql`${t.amount} > 0 or (${t.amount} < 0 and ${t.reversesId} is not null)`),
    check("payments_expert_ck", sql`${t.payeeKind} <> 'expert' or ${t.expertId} is not null`),
  ],
);
