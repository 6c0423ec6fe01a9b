/** Creates an installation operator (the set-up script; an operator may add another). */
import { eq } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import { operators } from "../db/schema.js";
import { ConflictError, ValidationError } from "../errors.js";
import { hashPassword } from "../auth/passwords.js";
import { assertStrongPassword } from "../auth/passwordPolicy.js";

export type OperatorInput = { email: string; fullName: string; password: string };

/**
 * Writes the operator on `db` (possibly the caller's transaction).
 * @throws ValidationError validation_failed / weak_password, ConflictError email_taken
 */
export async function createOperator(db: Executor, props: { input: OperatorInput }) {
  const email = props.input.email.trim().toLowerCase();
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
    throw new ValidationError("validation_failed", "Địa chỉ thư điện tử không hợp lệ.", "operatorEmail");
  if (!props.input.fullName.trim())
    throw new ValidationError("validation_failed", "Họ tên người vận hành bắt buộc.", "operatorName");
  assertStrongPassword(props.input.password, email, "operatorPassword");
  const [dup] = await db.select({ id: operators.id }).from(operators).where(eq(operators.email, email));
  if (dup) throw new ConflictError("email_taken", "Địa chỉ thư điện tử đã được dùng.");
  const [row] = await db
    .insert(operators)
    .values({ email, fullName: props.input.fullName.trim(), passwordHash: await hashPassword(props.input.password) })
    .returning();
  return { id: row.id, email: row.email, fullName: row.fullName };
}
