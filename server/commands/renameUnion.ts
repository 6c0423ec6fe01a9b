/** The installation operator renames a Union (full name, short name); documents' issuer name follows. */
import { eq } from "drizzle-orm";
import type { Db } from "../db/connect.js";
import { organizations } from "../db/schema.js";
import { ValidationError } from "../errors.js";
import type { Operator } from "../runtime/actor.js";
import type { Clock } from "../runtime/clock.js";
import { requireOperator } from "../policies/operatorPolicy.js";
import { findUnion } from "../queries/listUnions.js";

type Deps = { db: Db; clock: Clock };

/**
 * Renames a Union (full name, and the short name when given); the issuer name on documents follows.
 * @throws UnauthenticatedError, NotFoundError organization_not_found, ValidationError
 */
export async function renameUnion(
  deps: Deps,
  props: { operator?: Operator; id: string; name: string; shortName?: string },
) {
  requireOperator(props.operator);
  const name = props.name.trim();
  if (!name || name.length > 300)
    throw new ValidationError("validation_failed", "Tên bắt buộc, tối đa 300 ký tự.", "name");
  const org = await findUnion(deps.db, props.id);
  const settings = { ...org.settings, issuerName: name.toLocaleUpperCase("vi") };
  const shortName = props.shortName?.trim() || org.shortName;
  const [row] = await deps.db
    .update(organizations)
    .set({ name, shortName, settings })
    .where(eq(organizations.id, org.id))
    .returning();
  return row;
}
