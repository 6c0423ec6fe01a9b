/**
 * The annual plan's events (workflows/annualPlan), each declared once: its payload (zod), who may
 * send it, and whether a proposer may send it for its own item. The machine decides what it does;
 * `sendPlanEvent` reads this table, the API's validation and OpenAPI read the schemas. Events the
 * server completes (`proposal.submit`, `decision.record`, `item.start`) have commands of their own.
 */
import { z } from "zod";
import type { Role } from "../../runtime/actor.js";
import { isoDate, optText, text, uuid } from "./fields.js";

const cost = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** What an item proposes (the machine checks it again). */
export const itemContent = z
  .object({
    title: text(500),
    type: z.enum(["consultancy", "critique", "assessment"]),
    forms: z
      .array(z.enum(["council", "expert_group", "workshop", "written"]))
      .min(1)
      .max(4),
    quarter: z.number().int().min(1).max(4),
    rationale: text(4000),
    estimatedCost: cost,
    orderingAgencyId: uuid.nullable().optional(),
    draftingAgency: optText(300).nullable(),
    subjectKind: optText(60).nullable(),
  })
  .strict();

const partialContent = itemContent.partial();
const itemId = uuid;

/** One declaration: the payload, the roles, and whether an agency or association may send it for its own item. */
export type PlanEventDeclaration = { payload: z.ZodRawShape; roles: Role[]; proposerMay?: boolean };

const staff: Role[] = ["secretariat"];

/** Every plan event a person sends through POST /annual-plans/:id/events. */
export const PLAN_EVENTS: Record<string, PlanEventDeclaration> = {
  "item.edit": { payload: { itemId, content: partialContent, reason: text() }, roles: staff, proposerMay: true },
  "proposal.withdraw": { payload: { itemId, reason: optText() }, roles: staff, proposerMay: true },
  "proposals.close": { payload: { note: optText() }, roles: staff },
  "item.add": { payload: { content: itemContent, note: optText() }, roles: staff },
  "items.merge": { payload: { intoItemId: itemId, itemIds: z.array(itemId).min(1), reason: text() }, roles: staff },
  "item.reject": { payload: { itemId, reason: text() }, roles: staff },
  "item.restore": { payload: { itemId, reason: text() }, roles: staff },
  "items.rank": { payload: { order: z.array(itemId).max(500) }, roles: staff },
  "submission.propose": { payload: { note: optText() }, roles: staff },
  "submission.approve": { payload: { note: optText() }, roles: ["leadership"] },
  "submission.return": { payload: { comments: text() }, roles: ["leadership"] },
  "submission.issue": { payload: { note: optText() }, roles: ["clerk", "leadership"] },
  "province.return": { payload: { comments: text(), letterNumber: optText(100) }, roles: ["clerk", "secretariat"] },
  "amendment.open": { payload: { reason: text() }, roles: staff },
  "amendment.cancel": { payload: { reason: text() }, roles: staff },
  "item.change": { payload: { itemId, content: partialContent, reason: text() }, roles: staff },
  "item.proposeCut": { payload: { itemId, reason: text() }, roles: staff },
  "item.keep": { payload: { itemId, reason: optText() }, roles: staff },
  "report.submit": { payload: { note: optText() }, roles: staff },
  "report.approve": { payload: { note: optText() }, roles: ["leadership"] },
  "report.return": { payload: { comments: text() }, roles: ["leadership"] },
};

/** The plan event types people send, in the order of the `can` list. */
export const PLAN_EVENT_TYPES = Object.keys(PLAN_EVENTS);

/** The body of POST /annual-plans/:id/events: one of the declared events. */
export const PlanEventBodySchema = z.discriminatedUnion(
  "type",
  PLAN_EVENT_TYPES.map((type) =>
    z
      .object({ type: z.literal(type), expectedVersion: z.number().int().optional(), ...PLAN_EVENTS[type].payload })
      .strict(),
  ) as never,
) as z.ZodType<{ type: string; expectedVersion?: number } & Record<string, unknown>>;

/** A proposal (proposal.submit): the content; the server adds the item id and the proposer. */
export const ProposalSchema = z.object({ content: itemContent }).strict();

/** The province's decision (decision.record) as a form beside its uploaded file. */
export const DecisionFormSchema = z
  .object({
    number: text(100),
    date: isoDate,
    issuer: optText(300),
    cut: z.array(itemId).optional(),
    changed: z.array(partialContent.omit({ forms: true, type: true }).extend({ itemId })).optional(),
    kept: z.array(itemId).optional(),
  })
  .strict();

/** A new annual plan: its year and the last day for proposals. */
export const CreatePlanSchema = z
  .object({
    year: z.number().int().min(2000).max(2100),
    proposalsDueOn: isoDate,
    decisionFollowUpDays: z.number().int().min(1).max(365).optional(),
    title: optText(500),
  })
  .strict();

/** Opening an item's assignment: what the order letter says, if the agency sent one. */
export const StartItemSchema = z
  .object({
    orderNumber: optText(100),
    orderDate: isoDate.optional(),
    requestedDeadline: isoDate.optional(),
    summary: optText(),
  })
  .strict();
