/** Who may open the files of an assignment's dossier. */
import type { Actor } from "../runtime/actor.js";
import { hasRole, STAFF_ROLES } from "./staffPolicy.js";

/** Whether the actor may open a file marked confidential (staff and experts; never the ordering agency). */
export function maySeeConfidentialFiles(actor: Actor): boolean {
  return hasRole(actor, ...STAFF_ROLES, "expert");
}
