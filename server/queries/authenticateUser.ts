/**
 * Checks a log-in: the user with this e-mail and password. One e-mail may have an account in
 * several Unions: `organization` (a Union's slug) chooses; without it, the password decides, and
 * when it opens more than one Union the caller is asked to choose (409 organization_required, with
 * the Unions' slugs and names — shown only to whoever knows the password).
 */
import { and, eq } from "drizzle-orm";
import type { Db } from "../db/connect.js";
import { organizations, users } from "../db/schema.js";
import { ConflictError, ForbiddenError, UnauthenticatedError } from "../errors.js";
import { verifyPassword } from "../auth/passwords.js";

// Checked when no user matches, so a wrong e-mail costs as much time as a wrong password.
const NO_USER_HASH = "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

/** The Unions one e-mail and password open, as offered to choose from. */
export type UnionChoice = { slug: string; name: string };

/**
 * The active user these credentials belong to.
 * @throws UnauthenticatedError unauthenticated for an unknown e-mail or a wrong password;
 *   ConflictError organization_required when they open several Unions and none was chosen;
 *   ForbiddenError organization_suspended when the Union is suspended
 */
export async function authenticateUser(
  deps: { db: Db },
  input: { email: string; password: string; organization?: string },
) {
  const rows = await deps.db
    .select({ u: users, slug: organizations.slug, name: organizations.name, suspended: organizations.suspendedAt })
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.organizationId))
    .where(and(eq(users.email, input.email), eq(users.active, true)));
  const candidates = input.organization ? rows.filter((r) => r.slug === input.organization) : rows;
  const matching = [];
  for (const c of candidates) if (await verifyPassword(input.password, c.u.passwordHash)) matching.push(c);
  if (!candidates.length) await verifyPassword(input.password, NO_USER_HASH);
  if (!matching.length) throw new UnauthenticatedError("Sai địa chỉ thư điện tử hoặc mật khẩu.");
  const open = matching.filter((m) => !m.suspended);
  if (!open.length)
    throw new ForbiddenError("Liên hiệp hội của tài khoản này đang bị tạm ngừng.", "organization_suspended");
  if (open.length > 1) {
    const choices: UnionChoice[] = open.map((m) => ({ slug: m.slug, name: m.name }));
    throw new ConflictError("organization_required", "Tài khoản có ở nhiều Liên hiệp hội; hãy chọn một.", {
      organizations: choices,
    });
  }
  return open[0].u;
}
