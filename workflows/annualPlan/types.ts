/**
 * Types of the annual plan workflow (danh mục nhiệm vụ TVPB&GĐXH hằng năm): its context, input,
 * events and the effects it asks for. Plain JSON only: the context is persisted in the database.
 * The machine keeps each item's id, status, quarter and pending change; the item's content (title,
 * type, forms, agency, rationale, estimated cost) lives in versioned item records.
 */

/** Where an item stands. See README.md for who moves it where. */
export type ItemStatus =
  | "proposed"
  | "withdrawn"
  | "merged"
  | "rejected"
  | "approved"
  | "cut"
  | "changed"
  | "started"
  | "done"
  | "carriedOver";

export type Quarter = 1 | 2 | 3 | 4;
export type ItemType = "consultancy" | "critique" | "assessment";
export type ItemForm = "council" | "expert_group" | "workshop" | "written";

/** Who proposed an item: an ordering agency, a member association, or the Union itself (`id` null). */
export type Proposer = { kind: "agency" | "association" | "union"; id: string | null };

/** What an item proposes. The machine checks it; the runtime records it as an item version. */
export type ItemContent = {
  title: string;
  type: ItemType;
  forms: ItemForm[];
  quarter: Quarter;
  rationale: string;
  /** Estimated cost in whole đồng (a safe integer ≥ 0). */
  estimatedCost: number;
  /** The agency that would order it (for the Union's own items, the authority it addresses), if known. */
  orderingAgencyId?: string | null;
  draftingAgency?: string | null;
  subjectKind?: string | null;
};

/** A change in an amendment: `add` a new item, `change` an approved one's terms, `cut` one. */
export type PendingKind = "add" | "change" | "cut";

/** One item as the machine knows it. */
export type PlanItem = {
  itemId: string;
  status: ItemStatus;
  quarter: Quarter;
  proposer: Proposer;
  /** Position in the list under preparation; null until ranked (and again after an edit). */
  rank: number | null;
  mergedInto: string | null;
  assignmentId: string | null;
  /** The list version that brings the item in: 1 for the initial list, n for the (n-1)th amendment. */
  addedIn: number;
  /** The item's part in the amendment being prepared; `quarter` is a proposed new quarter. */
  pending: { kind: PendingKind; quarter?: Quarter } | null;
};

export type SubmissionKind = "initial" | "amendment";

export type AnnualPlanInput = {
  planId: string;
  /** The plan year, e.g. 2027 (proposals are collected in the fourth quarter of the year before). */
  year: number;
  /** The last day for proposals, `YYYY-MM-DD` (Vietnam calendar). */
  proposalsDueOn: string;
  /** Days to wait for the province's decision before the secretariat is asked to follow up. */
  decisionFollowUpDays: number;
};

export type AnnualPlanContext = AnnualPlanInput & {
  items: PlanItem[];
  /** The list version in force: 0 until the province approves the initial list. */
  approvedVersion: number;
  /** The list being prepared (initial or an amendment) and the version it will become. */
  draft: { kind: SubmissionKind; version: number; reason: string | null } | null;
  submissions: Array<{ version: number; kind: SubmissionKind; outcome: "pending" | "approved" | "returned" }>;
  decisions: Array<{ version: number; number: string; date: string; fileId: string }>;
  returns: Array<{ by: "leadership" | "province"; version: number; comments: string }>;
  reportReturns: string[];
};

/** The decision's changes to an item: the machine uses the quarter; the runtime records the rest. */
export type ChangedTerms = { itemId: string } & Partial<Omit<ItemContent, "forms" | "type">>;

type P<T extends string, Payload = object> = { type: T } & Payload;

/** Every event the annual plan accepts. Requests are imperative, reports are past tense. */
export type AnnualPlanEvent =
  | P<"proposal.submit", { itemId: string; proposer: Proposer; content: ItemContent }>
  | P<"proposal.withdraw", { itemId: string; reason?: string }>
  | P<"proposals.close", { note?: string }>
  | P<"item.add", { itemId: string; proposer: Proposer; content: ItemContent; note?: string }>
  | P<"item.edit", { itemId: string; content: Partial<ItemContent>; reason: string }>
  | P<"items.merge", { intoItemId: string; itemIds: string[]; reason: string }>
  | P<"item.reject", { itemId: string; reason: string }>
  | P<"item.restore", { itemId: string; reason: string }>
  | P<"items.rank", { order: string[] }>
  | P<"submission.propose", { note?: string }>
  | P<"submission.approve", { note?: string }>
  | P<"submission.return", { comments: string }>
  | P<"submission.issue", { note?: string }>
  | P<
      "decision.record",
      { number: string; date: string; fileId: string; cut?: string[]; changed?: ChangedTerms[]; kept?: string[] }
    >
  | P<"province.return", { comments: string; letterNumber?: string }>
  | P<"amendment.open", { reason: string }>
  | P<"amendment.cancel", { reason: string }>
  | P<"item.change", { itemId: string; content: Partial<ItemContent>; reason: string }>
  | P<"item.proposeCut", { itemId: string; reason: string }>
  | P<"item.keep", { itemId: string; reason?: string }>
  | P<"item.start", { itemId: string; assignmentId: string }>
  | P<"item.completed", { itemId: string }>
  | P<"report.submit", { note?: string }>
  | P<"report.approve", { note?: string }>
  | P<"report.return", { comments: string }>
  | P<"deadline.reached", { key: string }>;

export type AnnualPlanEventType = AnnualPlanEvent["type"];

/** Who is addressed by a mail the machine asks for; the runtime resolves it to addresses. */
export type PlanAudience =
  "proposers" | "secretariat" | "leadership" | "clerk" | "accountant" | "province" | { itemProposer: string };

/** Effect and record parameters. Records are written in the saving transaction; effects after commit. */
export type PlanMailParams = { template: string; to: PlanAudience; data?: Record<string, unknown> };
export type PlanDocumentParams = { kind: "planSubmission" | "planExecutionReport"; issue: true; version?: number };
/**
 * A deadline: `on` a Vietnam calendar day (`YYYY-MM-DD`; due at the end of that working day), or
 * `days` calendar days from now.
 */
export type PlanDeadlineParams = {
  key: string;
  on?: string;
  days?: number;
  event: { type: "deadline.reached"; key: string };
};
export type PlanDeadlineKeyParams = { key: string };
/** Record the content of an item version from the event being applied (`proposal.submit`, `item.*`). */
export type ItemVersionParams = { itemId: string; listVersion: number; reason: string | null };
export type SubmissionParams = { version: number; kind: SubmissionKind; itemIds: string[] };
export type DecisionParams = { version: number; kind: SubmissionKind };
export type OpenAssignmentParams = { itemId: string; assignmentId: string };
export type CarryOverParams = { itemIds: string[] };
/** Items whose pending change was withdrawn: their content goes back to list version `inForce`. */
export type RestoreItemsParams = { itemIds: string[]; inForce: number; reason: string | null };
