/** Who may write an expert's opinion besides the expert. */
import { ForbiddenError } from "../errors.js";
import type { Actor } from "../runtime/actor.js";
import { hasRole } from "./staffPolicy.js";

/** Only the secretariat edits an opinion on an expert's behalf. @throws ForbiddenError forbidden */
export function requireOnBehalfEditor(actor: Actor): void {
  if (!hasRole(actor, "secretariat")) throw new ForbiddenError("Chỉ Ban TVPB được chỉnh sửa thay chuyên gia.");
}
