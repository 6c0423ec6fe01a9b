/**
 * Who counts as the Union's own staff (secretariat, leadership, clerk, admin): they see every
 * non-confidential assignment of the organisation, its drafts, registers and mail. Faces check
 * roles through here (and the other policies), never through the runtime's actor module.
 */
import { hasRole as actorHasRole, type Actor, type Role } from "../runtime/actor.js";

/** The staff roles. */
export const STAFF_ROLES: readonly Role[] = ["secretariat", "leadership", "clerk", "admin"];

/** Whether the actor has any of the roles. */
export const hasRole = (actor: Actor, ...roles: Role[]): boolean => actorHasRole(actor, ...roles);

/** Whether the actor is staff of the Union. */
export const isStaff = (actor: Actor): boolean => actorHasRole(actor, ...STAFF_ROLES);
