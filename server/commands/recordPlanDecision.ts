/**
 * The province's decision on a submitted list (decision.record): its number, date, the uploaded
 * decision file (stored as a blob), and the items it cut, changed or kept as they were.
 */
import { blobs } from "../db/schema.js";
import { ForbiddenError } from "../errors.js";
import { hasRole, type Actor } from "../runtime/actor.js";
import { inTransaction, type RuntimeDeps } from "../runtime/applyEvent.js";
import { applyPlanEventInTx, type PlanRow } from "../runtime/applyPlanEvent.js";
import { sha256 } from "../auth/passwords.js";
import { checkFile } from "./uploadDossierFile.js";
import type { ChangedTerms } from "../../workflows/annualPlan/types.js";

export type DecisionInput = {
  number: string;
  date: string;
  issuer?: string;
  cut?: string[];
  changed?: ChangedTerms[];
  kept?: string[];
};

/**
 * @throws ForbiddenError forbidden, ValidationError file_type_not_allowed (from checkFile),
 *   TooLargeError, NotFoundError plan_not_found, ConflictError event_not_allowed | rule_violated | stale_version
 */
export async function recordPlanDecision(
  deps: RuntimeDeps,
  props: { actor: Actor; planId: string; input: DecisionInput; file: { name: string; bytes: Buffer } },
): Promise<PlanRow> {
  const { actor, input, file } = props;
  if (!hasRole(actor, "clerk", "secretariat")) throw new ForbiddenError();
  const { contentType } = checkFile(file.name, file.bytes);
  return inTransaction(deps, async (tx) => {
    const hash = sha256(file.bytes);
    await tx.insert(blobs).values({ sha256: hash, size: file.bytes.length, bytes: file.bytes }).onConflictDoNothing();
    const event = { type: "decision.record", ...input, fileId: hash, fileName: file.name, contentType };
    return applyPlanEventInTx(tx, { clock: deps.clock, actor }, props.planId, event);
  });
}
