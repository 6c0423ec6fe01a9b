/**
 * The installation operator behind a request's operator cookie, and the check of an operator's
 * log-in. Operators live outside every Union: their own table, sessions and cookie.
 */
import { and, eq, gt, isNull } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import { operatorSessions, operators } from "../db/schema.js";
import { UnauthenticatedError } from "../errors.js";
import type { Operator } from "../runtime/actor.js";
import { sha256, verifyPassword } from "../auth/passwords.js";

const NO_USER_HASH = "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

const asOperator = (o: typeof operators.$inferSelect): Operator => ({
  kind: "operator",
  id: o.id,
  name: o.fullName,
  email: o.email,
});

/** The operator and session of an operator cookie, or null (unknown, revoked, expired, inactive). */
export async function findOperatorSession(
  db: Executor,
  cookie: string | undefined,
  now: Date,
): Promise<{ operator: Operator; session: { id: string; csrfToken: string } } | null> {
  if (!cookie) return null;
  const [row] = await db
    .select({ o: operators, s: operatorSessions })
    .from(operatorSessions)
    .innerJoin(operators, eq(operators.id, operatorSessions.operatorId))
    .where(
      and(
        eq(operatorSessions.id, sha256(cookie)),
        isNull(operatorSessions.revokedAt),
        gt(operatorSessions.expiresAt, now),
        eq(operators.active, true),
      ),
    );
  return row ? { operator: asOperator(row.o), session: { id: row.s.id, csrfToken: row.s.csrfToken } } : null;
}

/**
 * The active operator these credentials belong to.
 * @throws UnauthenticatedError unauthenticated for an unknown e-mail or a wrong password
 */
export async function authenticateOperator(db: Executor, input: { email: string; password: string }) {
  const [o] = await db
    .select()
    .from(operators)
    .where(and(eq(operators.email, input.email.trim().toLowerCase()), eq(operators.active, true)));
  const ok = await verifyPassword(input.password, o?.passwordHash ?? NO_USER_HASH);
  if (!o || !ok) throw new UnauthenticatedError("Sai địa chỉ thư điện tử hoặc mật khẩu.");
  return asOperator(o);
}
