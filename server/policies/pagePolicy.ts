/**
 * Who may open which page of the web UI and use which page-level tool. The navigation shows an
 * item only to the roles listed here, and the pages that check a role check it here. Events on an
 * assignment are the assignment policy's business (assignmentPolicy.ts), not this file's.
 */
import { ForbiddenError } from "../errors.js";
import { hasRole, type Actor, type Role } from "../runtime/actor.js";
import { WAITING_ON } from "../presenters/waitingOn.js";

const STAFF: Role[] = ["secretariat", "leadership", "clerk", "admin"];

/** The pages and tools of the UI, with the roles that may use them ("all": anyone signed in). */
export const PAGE_ROLES = {
  dashboard: "all",
  dashboardCharts: ["secretariat", "leadership", "admin", "clerk"],
  assignments: ["agency", "secretariat", "leadership", "clerk", "admin", "expert"],
  queue: ["secretariat", "leadership", "clerk"],
  notifications: "all",
  remindLate: ["secretariat"],
  reassign: ["leadership"],
  newOrder: ["agency", "secretariat"],
  orderForAgency: ["secretariat"],
  invitations: ["expert"],
  approvals: ["leadership"],
  registers: ["clerk", "secretariat", "leadership"],
  activityReport: ["leadership", "clerk"],
  rates: ["accountant", "admin", "secretariat", "leadership"],
  ratesEdit: ["accountant", "admin"],
  payments: ["accountant", "secretariat", "leadership"],
  paymentsRecord: ["accountant"],
  estimateEdit: ["secretariat", "accountant"],
  myPayments: ["expert"],
  plans: ["secretariat", "leadership", "clerk", "admin", "accountant", "agency", "association"],
  panelBuilder: ["secretariat"],
  reportEditor: ["secretariat"],
  users: ["admin"],
  experts: ["admin", "secretariat"],
  associations: ["admin"],
  settings: ["admin"],
  documentSettings: ["admin"],
  clock: ["admin"],
} satisfies Record<string, Role[] | "all">;

export type PageTool = keyof typeof PAGE_ROLES;

/** Whether the actor may open the page or use the tool. */
export function mayUse(actor: Actor, tool: PageTool): boolean {
  const roles: Role[] | "all" = PAGE_ROLES[tool];
  return roles === "all" || hasRole(actor, ...roles);
}

/**
 * Refuses a page or tool the actor's roles do not allow.
 * @throws ForbiddenError forbidden
 */
export function authorizePage(actor: Actor, tool: PageTool): void {
  if (!mayUse(actor, tool)) throw new ForbiddenError();
}

/**
 * The actor's expert record, for the pages only experts use.
 * @throws ForbiddenError forbidden when the actor is not an expert
 */
export function requireExpert(actor: Actor): string {
  if (!actor.expertId) throw new ForbiddenError();
  return actor.expertId;
}

/** Whether the actor works for the Union (sees staff columns, submitted opinions, the tracker). */
export const isStaff = (actor: { roles: readonly string[] }) => STAFF.some((r) => actor.roles.includes(r));

/** Whether the agency filter makes sense: anyone but a person who is only an agency. */
export const mayFilterByAgency = (actor: Actor) => !hasRole(actor, "agency") || actor.roles.length > 1;

/** The assignment states that wait on one of the actor's roles (experts' work is listed apart). */
export function statesWaitingOn(actor: Actor): string[] {
  return Object.entries(WAITING_ON)
    .filter(([, role]) => role !== "expert" && actor.roles.includes(role as Role))
    .map(([state]) => state);
}
