/** Checks a log-in: the user with this e-mail (in this organisation when several share it) and their password. */
import { and, eq } from "drizzle-orm";
import type { Db } from "../db/connect.js";
import { organizations, users } from "../db/schema.js";
import { UnauthenticatedError } from "../errors.js";
import { verifyPassword } from "../auth/passwords.js";

// Checked when no user matches, so a wrong e-mail costs as much time as a wrong password.
const NO_USER_HASH = "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

/**
 * The active user these credentials belong to.
 * @throws UnauthenticatedError unauthenticated for an unknown e-mail, an ambiguous one or a wrong password
 */
export async function authenticateUser(
  deps: { db: Db },
  input: { email: string; password: string; organization?: string },
) {
  const rows = await deps.db
    .select({ u: users, slug: organizations.slug })
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.organizationId))
    .where(and(eq(users.email, input.email), eq(users.active, true)));
  const candidates = input.organization ? rows.filter((r) => r.slug === input.organization) : rows;
  const user = candidates.length === 1 ? candidates[0].u : undefined;
  const ok = await verifyPassword(input.password, user?.passwordHash ?? NO_USER_HASH);
  if (!user || !ok) throw new UnauthenticatedError("Sai địa chỉ thư điện tử hoặc mật khẩu.");
  return user;
}
