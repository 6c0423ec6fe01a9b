/** The installation operator adds a Union, with its first administrator, in one transaction. */
import type { Db } from "../db/connect.js";
import type { Operator } from "../runtime/actor.js";
import type { Clock } from "../runtime/clock.js";
import { requireOperator } from "../policies/operatorPolicy.js";
import { checkUnionInput, createUnion, type AdminInput, type UnionInput } from "./createUnion.js";

/**
 * The new Union and its administrator.
 * @throws UnauthenticatedError without an operator, ValidationError, ConflictError union_exists
 */
export async function addUnion(
  deps: { db: Db; clock: Clock },
  props: { operator?: Operator; input: UnionInput; admin: AdminInput },
) {
  requireOperator(props.operator);
  checkUnionInput(props.input, props.admin);
  return deps.db.transaction((tx) =>
    createUnion({ db: tx, clock: deps.clock }, { input: props.input, admin: props.admin }),
  );
}
