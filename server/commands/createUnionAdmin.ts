/** The installation operator adds an administrator to a Union (its first one, or a new one). */
import type { Db } from "../db/connect.js";
import type { Operator } from "../runtime/actor.js";
import type { Clock } from "../runtime/clock.js";
import { requireOperator } from "../policies/operatorPolicy.js";
import { findUnion } from "../queries/listUnions.js";
import { insertAdmin, type AdminInput } from "./createUnion.js";

type Deps = { db: Db; clock: Clock };

/**
 * Adds an administrator to a Union (its first one, or a replacement when the last has left).
 * @throws UnauthenticatedError, NotFoundError organization_not_found, ValidationError weak_password,
 *   ConflictError email_taken
 */
export async function createUnionAdmin(deps: Deps, props: { operator?: Operator; id: string; admin: AdminInput }) {
  requireOperator(props.operator);
  const org = await findUnion(deps.db, props.id);
  const user = await insertAdmin(deps.db, org.id, props.admin);
  return { id: user.id, email: user.email, fullName: user.fullName, roles: user.roles };
}
