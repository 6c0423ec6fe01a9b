/**
 * The demo's accounts (issue 14 §8), in every demo Union: who they are, their role and their
 * Union, for the sign-in page's one-click list and the "switch role" control. Empty where the demo
 * was not seeded (production never seeds). Read-only.
 */
import { and, asc, eq, isNull, like, or } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import { organizations, users } from "../db/schema.js";
import type { Role } from "../runtime/actor.js";
import { isDemoSeeded } from "./isDemoSeeded.js";

/** The first demo log-in: the demo counts as seeded when it exists. */
export const FIRST_DEMO_EMAIL = "coquan@demo.tvpb.vn";

/** The demo's addresses: `…@demo.tvpb.vn` and `…@<union>.demo.tvpb.vn`. */
export const DEMO_EMAIL = /^[^@\s]+@(?:[a-z0-9-]+\.)?demo\.tvpb\.vn$/;

/** The order the roles are listed in (the order work flows through them). */
const ROLE_ORDER: Role[] = [
  "agency",
  "secretariat",
  "expert",
  "leadership",
  "clerk",
  "accountant",
  "association",
  "admin",
];

export type DemoAccount = {
  userId: string;
  email: string;
  name: string;
  role: Role;
  organizationId: string;
  organizationSlug: string;
  organizationName: string;
  /** Whether the same address has an account in another Union too (sign-in then names the Union). */
  shared: boolean;
};

const rank = (role: Role) => ROLE_ORDER.indexOf(role) + 1 || 99;

/** Every demo account of every Union, Union by Union (in the order they were made), then by role. */
export async function listDemoAccounts(db: Executor): Promise<DemoAccount[]> {
  if (!(await isDemoSeeded(db, FIRST_DEMO_EMAIL))) return [];
  const rows = await db
    .select({ u: users, slug: organizations.slug, orgName: organizations.name, orgAt: organizations.createdAt })
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.organizationId))
    .where(
      and(
        or(like(users.email, "%@demo.tvpb.vn"), like(users.email, "%.demo.tvpb.vn")),
        isNull(organizations.suspendedAt),
      ),
    )
    .orderBy(asc(organizations.createdAt), asc(users.createdAt), asc(users.email));
  const count = new Map<string, number>();
  for (const r of rows) count.set(r.u.email, (count.get(r.u.email) ?? 0) + 1);
  const accounts = rows
    .filter((r) => DEMO_EMAIL.test(r.u.email) && r.u.active)
    .map((r, i) => ({
      order: [r.orgAt.getTime(), rank(r.u.roles[0] as Role), i],
      account: {
        userId: r.u.id,
        email: r.u.email,
        name: r.u.fullName,
        role: (r.u.roles[0] ?? "expert") as Role,
        organizationId: r.u.organizationId,
        organizationSlug: r.slug,
        organizationName: r.orgName,
        shared: (count.get(r.u.email) ?? 0) > 1,
      },
    }));
  const before = (a: number[], b: number[]) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
  return accounts.sort((a, b) => before(a.order, b.order)).map((a) => a.account);
}
