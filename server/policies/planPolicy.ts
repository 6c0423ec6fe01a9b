/**
 * Who may see and change the annual plan, and who may see money. The Union's staff and the
 * accountant see the whole plan; an agency or a member association sees (and edits, while the call
 * is open) only its own proposals; experts see no plan. Amounts paid to a person are visible to
 * that person, leadership, the secretariat and the accountant — not to other experts.
 */
import { ForbiddenError } from "../errors.js";
import { hasRole, type Actor, type Role } from "../runtime/actor.js";
import { PLAN_EVENTS } from "../commands/events/annualPlan.js";

const PLAN_READERS: Role[] = ["secretariat", "leadership", "clerk", "admin", "accountant"];
const MONEY_READERS: Role[] = ["secretariat", "leadership", "accountant"];

/** An item as far as the policy needs it: who proposed it. */
export type ItemOwner = { proposerKind: string; agencyId: string | null; memberAssociationId: string | null };

/** A proposer (agency or member association user), who sees only its own items. */
export const isProposer = (actor: Actor) => !hasRole(actor, ...PLAN_READERS) && hasRole(actor, "agency", "association");

/** Whether `actor` sees the whole plan (staff and the accountant). */
export const seesWholePlan = (actor: Actor) => hasRole(actor, ...PLAN_READERS);

/** Whether the item is the actor's own proposal (its agency or its member association proposed it). */
export function ownsItem(actor: Actor, item: ItemOwner): boolean {
  if (item.proposerKind === "agency") return !!actor.agencyId && item.agencyId === actor.agencyId;
  if (item.proposerKind === "association")
    return !!actor.memberAssociationId && item.memberAssociationId === actor.memberAssociationId;
  return false;
}

/** Whether the actor may see the item: staff see all, proposers their own. */
export const maySeeItem = (actor: Actor, item: ItemOwner) => seesWholePlan(actor) || ownsItem(actor, item);

/** @throws ForbiddenError when the actor may not see plans at all (experts). */
export function requirePlanReader(actor: Actor): void {
  if (!seesWholePlan(actor) && !isProposer(actor)) throw new ForbiddenError();
}

/** @throws ForbiddenError unless the actor is the secretariat (it opens a year's plan). */
export function requirePlanManager(actor: Actor): void {
  if (!hasRole(actor, "secretariat")) throw new ForbiddenError();
}

/** The proposer a proposal is made for: the actor's agency or association, or the Union for the secretariat. */
export function proposerFor(actor: Actor): { kind: "agency" | "association" | "union"; id: string | null } {
  if (hasRole(actor, "secretariat")) return { kind: "union", id: null };
  if (hasRole(actor, "agency") && actor.agencyId) return { kind: "agency", id: actor.agencyId };
  if (hasRole(actor, "association") && actor.memberAssociationId)
    return { kind: "association", id: actor.memberAssociationId };
  throw new ForbiddenError("Chỉ cơ quan, hội thành viên hoặc Ban TVPB được gửi đề xuất.");
}

/**
 * @throws ForbiddenError when the actor may not send this plan event (for an item: its own, when
 *   the declaration lets proposers send it)
 */
export function authorizePlanEvent(actor: Actor, type: string, item: ItemOwner | null): void {
  const decl = PLAN_EVENTS[type];
  if (!decl) throw new ForbiddenError();
  if (hasRole(actor, ...decl.roles)) return;
  if (decl.proposerMay && item && isProposer(actor) && ownsItem(actor, item)) return;
  throw new ForbiddenError();
}

/** Whether the actor sends this event in the plan's current life (for the `can` list). */
export function mayAttemptPlanEvent(actor: Actor, type: string): boolean {
  const decl = PLAN_EVENTS[type];
  return !!decl && (hasRole(actor, ...decl.roles) || (!!decl.proposerMay && isProposer(actor)));
}

/** Whether the actor may see the amounts paid to `expertId` (their own, or staff who handle money). */
export const maySeePaymentsOf = (actor: Actor, expertId: string | null) =>
  hasRole(actor, ...MONEY_READERS) || (!!expertId && actor.expertId === expertId);

/** Whether the actor may see every payment (leadership, the secretariat, the accountant). */
export const maySeeAllPayments = (actor: Actor) => hasRole(actor, ...MONEY_READERS);

/** @throws ForbiddenError unless the actor records money (the accountant; the secretariat prepares estimates). */
export function requireMoneyWriter(actor: Actor, what: "payment" | "estimate" | "rate"): void {
  const roles: Role[] =
    what === "payment" ? ["accountant"] : what === "rate" ? ["accountant", "admin"] : ["secretariat", "accountant"];
  if (!hasRole(actor, ...roles)) throw new ForbiddenError();
}

/** @throws ForbiddenError unless the actor may see all payments. */
export function requireMoneyReader(actor: Actor): void {
  if (!maySeeAllPayments(actor)) throw new ForbiddenError();
}

/** What the actor may do on the plan's web pages (the commands check again). */
export function planAbilities(actor: Actor) {
  return {
    manage: hasRole(actor, "secretariat"),
    decide: hasRole(actor, "clerk", "secretariat"),
    propose: hasRole(actor, "secretariat") || isProposer(actor),
    start: hasRole(actor, "secretariat") || (hasRole(actor, "agency") && !!actor.agencyId),
    proposer: isProposer(actor),
    /** Whether a started item links to its assignment's page (the accountant and associations have none). */
    openWork: hasRole(actor, "agency", "secretariat", "leadership", "clerk", "admin"),
  };
}

/** @throws ForbiddenError unless the actor may read the rates table (money staff and the administrator). */
export function requireRatesReader(actor: Actor): void {
  if (!hasRole(actor, ...MONEY_READERS, "admin")) throw new ForbiddenError();
}
