/**
 * Creates an assignment from an order (an agency's request, the Union's own proposal, or an item
 * of the province's annual list), in the `ordered` state, ready for the clerk to register.
 */
import { and, eq } from "drizzle-orm";
import { agencies, assignments, assignmentStaff, organizations, type ResultRecipient } from "../db/schema.js";
import type { Tx } from "../db/connect.js";
import { ForbiddenError, ValidationError } from "../errors.js";
import { hasRole, type Actor } from "../runtime/actor.js";
import {
  createAssignmentInTx,
  inTransaction,
  newId,
  type AssignmentRow,
  type RuntimeDeps,
} from "../runtime/applyEvent.js";
import { allocateNumber } from "../numbering/allocateNumber.js";
import { minimumFor, resolveSettings } from "../settings.js";
import { foldVietnamese } from "../text.js";
import { vietnamDateOf } from "../calendar/workingDays.js";
import type { AssignmentType, Origin, SubjectKind, Urgency, WorkForm } from "../../workflows/assignment/types.js";

export type OrderInput = {
  type: AssignmentType;
  forms: WorkForm[];
  subjectKind: SubjectKind;
  title: string;
  summary?: string;
  agencyId?: string;
  draftingAgency?: string;
  origin?: Origin;
  orderNumber?: string;
  orderDate?: string;
  requestedDeadline?: string;
  budget?: number;
  confidential?: boolean;
  urgency?: Urgency | null;
  staffUserIds?: string[];
  recipients?: RecipientInput[];
};

/** An authority chosen to receive self-initiated work's result: an agency of the list, or a name. */
export type RecipientInput = { agencyId?: string; name?: string; email?: string; answerRequested?: boolean };

/**
 * @throws ForbiddenError when the actor may not place orders; ValidationError agency_required /
 *   agency_not_found / origin_not_allowed / recipients_not_allowed / recipient_invalid.
 */
export async function createOrder(deps: RuntimeDeps, props: { actor: Actor; input: OrderInput }) {
  const { actor, input } = props;
  const isAgency = hasRole(actor, "agency");
  const isStaff = hasRole(actor, "secretariat", "leadership", "clerk");
  if (!isAgency && !isStaff) throw new ForbiddenError("Chỉ cơ quan đặt hàng hoặc Ban TVPB được tạo nhiệm vụ.");
  const origin: Origin = input.origin ?? (isStaff && !input.agencyId ? "self_initiated" : "ordered");
  let agencyId = input.agencyId ?? null;
  if (isAgency && !isStaff) {
    if (origin !== "ordered")
      throw new ValidationError("origin_not_allowed", "Cơ quan đặt hàng chỉ gửi đơn đặt hàng.", "origin");
    agencyId = actor.agencyId;
  }
  if (origin === "ordered" && !agencyId)
    throw new ValidationError("agency_required", "Cần chọn cơ quan đặt hàng.", "agencyId");
  // Self-initiated work has no ordering agency: its result goes to the recipients it chooses.
  if (origin === "self_initiated") agencyId = null;
  if (input.recipients?.length && agencyId)
    throw new ValidationError(
      "recipients_not_allowed",
      "Kết quả của đơn đặt hàng gửi cơ quan đặt hàng; chỉ nhiệm vụ chủ động chọn nơi nhận.",
      "recipients",
    );

  return inTransaction(deps, (tx) => createOrderInTx(tx, deps, actor, { ...input, origin, agencyId }, isStaff));
}

/** An order whose origin and agency are decided; an annual list item's carries its `planItemId`. */
type DecidedOrder = Omit<OrderInput, "origin" | "agencyId"> & {
  origin: Origin;
  agencyId: string | null;
  planItemId?: string;
};

/**
 * Creates the assignment inside `tx` (the origin and agency already decided by the caller); an
 * annual list item's assignment carries `planItemId`, linked both ways by the plan's `item.start`.
 * @throws ValidationError agency_not_found
 */
export async function createOrderInTx(tx: Tx, deps: RuntimeDeps, actor: Actor, input: DecidedOrder, isStaff: boolean) {
  const { origin, agencyId } = input;
  if (agencyId) await requireAgency(tx, actor, agencyId);
  const recipients = agencyId ? null : await resolveResultRecipients(tx, actor, input.recipients ?? []);
  const [org] = await tx.select().from(organizations).where(eq(organizations.id, actor.organizationId));
  const settings = resolveSettings(org.settings);
  const now = deps.clock.now();
  const year = Number(vietnamDateOf(now).slice(0, 4));
  const id = newId();
  const machineInput = {
    assignmentId: id,
    type: input.type,
    forms: input.forms,
    origin,
    confidential: !!input.confidential,
    // An order's answer is always awaited; work without an agency only when a recipient is asked.
    hasAgency: !!agencyId,
    awaitsResponse: agencyId ? true : !!recipients?.some((r) => r.answerRequested),
    minOpinions: minimumFor(settings.minOpinions, input.forms),
    minPanel: minimumFor(settings.minPanel, input.forms),
    timeline: settings.timeline,
  };
  const row = await createAssignmentInTx(
    tx,
    { clock: deps.clock, actor },
    assignmentRow(actor, input, { id, recipients, now }),
    machineInput,
    { eventType: "order.create", payload: { origin, type: input.type, forms: input.forms } },
  );
  const staff = new Set([...(input.staffUserIds ?? []), ...(actor.id && isStaff ? [actor.id] : [])]);
  for (const userId of staff)
    await tx.insert(assignmentStaff).values({ assignmentId: id, userId, organizationId: actor.organizationId });
  return numberAssignment(tx, actor, input, row, year);
}

/**
 * Takes the assignment's number from the ASSIGNMENT register as the transaction's last write. The
 * register row stays locked from the number's allocation to the commit (gap-free numbers), so every
 * other order of the Union waits that long: allocated first, it was held through the whole order's
 * inserts (the mixed load's slowest request: docs/BENCHMARKS.md, "The load's tail and the event path's
 * p99, eighth session").
 */
async function numberAssignment(tx: Tx, actor: Actor, input: DecidedOrder, row: AssignmentRow, year: number) {
  const seq = await allocateNumber(tx, actor.organizationId, "ASSIGNMENT", year);
  const code = `TVPB-${year}-${String(seq).padStart(3, "0")}`;
  const searchText = searchTextOf(code, input);
  await tx.update(assignments).set({ code, searchText }).where(eq(assignments.id, row.id));
  return { ...row, code, searchText };
}

/** The text an assignment is found by: its code and the order's words, folded. */
function searchTextOf(code: string, input: DecidedOrder) {
  return foldVietnamese(
    [code, input.title, input.summary ?? "", input.draftingAgency ?? "", input.orderNumber ?? ""].join(" "),
  );
}

/**
 * The new assignment's row: the order's fields. Its number is taken last (`numberAssignment`): until
 * then the row holds its id as its code and no search text, both written with the number.
 */
function assignmentRow(
  actor: Actor,
  input: DecidedOrder,
  made: { id: string; recipients: ResultRecipient[] | null; now: Date },
) {
  const { id, recipients, now } = made;
  const { origin, agencyId } = input;
  return {
    id,
    organizationId: actor.organizationId,
    code: id,
    type: input.type,
    forms: input.forms,
    subjectKind: input.subjectKind,
    title: input.title,
    summary: input.summary ?? null,
    agencyId,
    draftingAgency: input.draftingAgency ?? null,
    origin,
    orderNumber: input.orderNumber ?? null,
    orderDate: input.orderDate ?? null,
    requestedDeadline: input.requestedDeadline ?? null,
    budget: input.budget !== undefined ? String(input.budget) : null,
    confidential: !!input.confidential,
    recipients: recipients?.length ? recipients : null,
    urgency: input.urgency ?? null,
    searchText: "",
    planItemId: input.planItemId ?? null,
    createdBy: actor.id,
    createdAt: now,
    updatedAt: now,
  };
}

/** @throws ValidationError agency_not_found for an agency not of the actor's organisation */
async function requireAgency(tx: Tx, actor: Actor, agencyId: string): Promise<void> {
  const [a] = await tx
    .select({ id: agencies.id })
    .from(agencies)
    .where(and(eq(agencies.id, agencyId), eq(agencies.organizationId, actor.organizationId)));
  if (!a) throw new ValidationError("agency_not_found", "Không tìm thấy cơ quan đặt hàng.", "agencyId");
}

/**
 * The recipients of a result, each from the organisation's agencies (name and address taken from
 * it) or given by name; never the Union itself.
 * @throws ValidationError recipient_invalid (neither an agency nor a name), agency_not_found
 */
async function resolveResultRecipients(tx: Tx, actor: Actor, list: RecipientInput[]): Promise<ResultRecipient[]> {
  const out: ResultRecipient[] = [];
  for (const r of list) {
    const answerRequested = !!r.answerRequested;
    if (r.agencyId) {
      const [ag] = await tx
        .select()
        .from(agencies)
        .where(and(eq(agencies.id, r.agencyId), eq(agencies.organizationId, actor.organizationId)));
      if (!ag) throw new ValidationError("agency_not_found", "Không tìm thấy cơ quan nhận kết quả.", "recipients");
      const email = r.email ?? ag.email ?? undefined;
      out.push({ name: ag.name, agencyId: ag.id, ...(email ? { email } : {}), answerRequested });
    } else if (r.name?.trim()) {
      out.push({ name: r.name.trim(), ...(r.email ? { email: r.email } : {}), answerRequested });
    } else throw new ValidationError("recipient_invalid", "Nơi nhận cần là một cơ quan hoặc có tên.", "recipients");
  }
  return out;
}
