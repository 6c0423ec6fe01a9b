/**
 * The installation operator suspends a Union (nobody of it signs in; its sessions and tokens stop
 * working) or re-activates it.
 */
import { eq } from "drizzle-orm";
import type { Db } from "../db/connect.js";
import { organizations } from "../db/schema.js";
import type { Operator } from "../runtime/actor.js";
import type { Clock } from "../runtime/clock.js";
import { requireOperator } from "../policies/operatorPolicy.js";
import { findUnion } from "../queries/listUnions.js";
import { forgetCachedActors } from "../queries/findActor.js";

type Deps = { db: Db; clock: Clock };

/**
 * Suspends (true) or re-activates (false) a Union.
 * @throws UnauthenticatedError, NotFoundError organization_not_found
 */
export async function setUnionSuspended(deps: Deps, props: { operator?: Operator; id: string; suspended: boolean }) {
  requireOperator(props.operator);
  const org = await findUnion(deps.db, props.id);
  const [row] = await deps.db
    .update(organizations)
    .set({ suspendedAt: props.suspended ? (org.suspendedAt ?? deps.clock.now()) : null })
    .where(eq(organizations.id, org.id))
    .returning();
  // Its tokens stop working at once in this process (other processes: within TOKEN_CACHE_TTL_MS).
  forgetCachedActors();
  return row;
}
