/** Who may run the installation: only an operator, who in turn may read no Union's work. */
import { ForbiddenError, UnauthenticatedError } from "../errors.js";
import type { Operator } from "../runtime/actor.js";

/**
 * The operator, when there is one.
 * @throws UnauthenticatedError when nobody (or not an operator) is signed in as operator
 */
export function requireOperator(operator: Operator | undefined): Operator {
  if (!operator || operator.kind !== "operator") throw new UnauthenticatedError();
  return operator;
}

/** The refusal an operator gets for any Union's resource: the installation's operator reads no Union's work. */
export function operatorNotInUnion(): ForbiddenError {
  return new ForbiddenError(
    "Người vận hành hệ thống không thuộc Liên hiệp hội nào và không xem được hồ sơ của Liên hiệp hội.",
    "operator_not_in_union",
  );
}
