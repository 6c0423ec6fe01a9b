/**
 * Who may read the organisation's registries and settings (writes are checked by the commands).
 * Agencies and member associations are open to everyone signed in.
 */
import type { Actor } from "../runtime/actor.js";
import { requireRole } from "./assignmentPolicy.js";

/** The expert registry: those who form panels and administer it. @throws ForbiddenError forbidden */
export function requireExpertRegistryReader(actor: Actor): void {
  requireRole(actor, "admin", "secretariat", "leadership");
}

/** The user accounts: the administrator. @throws ForbiddenError forbidden */
export function requireUserAdmin(actor: Actor): void {
  requireRole(actor, "admin");
}

/** The organisation's settings and holidays. @throws ForbiddenError forbidden */
export function requireSettingsReader(actor: Actor): void {
  requireRole(actor, "admin", "secretariat", "leadership");
}
