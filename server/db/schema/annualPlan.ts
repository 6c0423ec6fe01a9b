/**
 * The year's plan and its money (issue 16): annual plans with their persisted machine snapshot,
 * plan items and their versions, submissions to the province and its decisions, the rates table,
 * estimates with their lines and adjustments, and payments. Every table carries `organization_id`.
 * Official records are append-only: item versions, submissions, decisions, estimate versions and
 * payments are never updated in place (a payment is corrected by a reversal row). Amounts are whole
 * đồng in `bigint` columns read as JS numbers (server/money/dong.ts checks them).
 * Re-exported by ../schema.ts; the references back to its tables are lazy, so the import cycle
 * between the two files is harmless.
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";
import {
  agencies,
  assignments,
  blobs,
  documents,
  experts,
  memberAssociations,
  organizations,
  users,
} from "../schema.js";

const id = () =>
  text("id")
    .primaryKey()
    .$defaultFn(() => randomUUID());
const org = () =>
  text("organization_id")
    .notNull()
    .references(() => organizations.id);
const at = (name: string) => timestamp(name, { withTimezone: true, mode: "date" }).notNull().defaultNow();
const createdAt = () => at("created_at");
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
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
