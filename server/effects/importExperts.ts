/**
 * The expert-registry import as a long operation: the confirmed rows are queued as one effect,
 * the worker creates the experts and records its progress on the effect row, and the import page
 * shows that progress (it works across processes and survives a restart). Idempotent: a retried
 * import skips the experts it already created (same name and e-mail in the organisation).
 */
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../db/connect.js";
import { effects, experts, users } from "../db/schema.js";
import { EffectError } from "../errors.js";
import { createExpert, type ExpertInput } from "../commands/registry.js";
import { actorFromUser } from "../queries/findActor.js";
import type { EffectRow } from "../runtime/effectWorker.js";

export type ImportPayload = { actorId: string; rows: ExpertInput[]; total: number; done: number; created: number };

/** The effect handler. */
export function createImportExperts(deps: { db: Db }) {
  return async function importExperts(effect: EffectRow) {
    const p = effect.payload as ImportPayload;
    const [user] = await deps.db
      .select()
      .from(users)
      .where(and(eq(users.id, p.actorId), eq(users.organizationId, effect.organizationId)));
    if (!user) throw new EffectError("the user who started the import is gone", true, "import_actor_missing");
    const actor = actorFromUser(user);
    let created = p.created;
    for (let i = p.done; i < p.rows.length; i++) {
      const r = p.rows[i];
      const [dup] = await deps.db
        .select({ id: experts.id })
        .from(experts)
        .where(
          and(
            eq(experts.organizationId, effect.organizationId),
            eq(experts.fullName, r.fullName),
            r.email ? eq(experts.email, r.email) : isNull(experts.email),
          ),
        );
      if (!dup) {
        await createExpert(deps.db, { actor, input: r });
        created++;
      }
      if ((i + 1) % 10 === 0 || i + 1 === p.rows.length) {
        await deps.db
          .update(effects)
          .set({ payload: sql`${effects.payload} || ${JSON.stringify({ done: i + 1, created })}::jsonb` })
          .where(eq(effects.id, effect.id));
      }
    }
  };
}
