/**
 * Resolves a machine's audience ("agency", "panel", { expertId } …) to addresses, in the
 * recipient's language.
 */
import { and, arrayContains, eq, inArray } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import { agencies, assignments, experts, invitations, opinionVersions, users } from "../db/schema.js";

export type Recipient = { name: string; address: string; locale: "vi" | "en"; userId?: string; expertId?: string };

/**
 * `known.agency`, when given (null: the assignment has none or it is gone), is the assignment's
 * agency row already read by the caller; otherwise it is read here when needed.
 */
export async function resolveRecipients(
  db: Executor,
  a: typeof assignments.$inferSelect,
  to: unknown,
  workflowId: string,
  known: { agency?: typeof agencies.$inferSelect | null } = {},
): Promise<Recipient[]> {
  const org = a.organizationId;
  const byRole = async (role: string) =>
    (
      await db
        .select()
        .from(users)
        .where(and(eq(users.organizationId, org), eq(users.active, true), arrayContains(users.roles, [role])))
    ).map((u) => ({
      name: u.fullName,
      address: u.email,
      locale: (u.locale === "en" ? "en" : "vi") as "vi" | "en",
      userId: u.id,
    }));
  const expertsOf = async (ids: string[]) =>
    ids.length
      ? (
          await db
            .select()
            .from(experts)
            .where(and(eq(experts.organizationId, org), inArray(experts.id, ids)))
        )
          .filter((e) => !!e.email)
          .map((e) => ({
            name: [e.academicTitle, e.fullName].filter(Boolean).join(" "),
            address: e.email!,
            locale: "vi" as const,
            expertId: e.id,
          }))
      : [];
  const accepted = async () =>
    (
      await db
        .select({ id: invitations.expertId })
        .from(invitations)
        .where(and(eq(invitations.assignmentId, a.id), eq(invitations.state, "accepted")))
    ).map((r) => r.id);

  let list: Recipient[] = [];
  if (to === "agency") {
    const agencyUsers = a.agencyId
      ? await db
          .select()
          .from(users)
          .where(and(eq(users.agencyId, a.agencyId), eq(users.active, true)))
      : [];
    list = agencyUsers.map((u) => ({
      name: u.fullName,
      address: u.email,
      locale: (u.locale === "en" ? "en" : "vi") as "vi" | "en",
      userId: u.id,
    }));
    if (a.agencyId) {
      const [ag] =
        known.agency !== undefined
          ? [known.agency]
          : await db.select().from(agencies).where(eq(agencies.id, a.agencyId));
      if (ag?.email) list.push({ name: ag.name, address: ag.email, locale: "vi" });
    }
  } else if (to === "secretariat" || to === "leadership") {
    list = await byRole(to);
  } else if (to === "panel") {
    list = await expertsOf(await accepted());
  } else if (to === "expert") {
    const [inv] = await db.select().from(invitations).where(eq(invitations.id, workflowId));
    list = inv ? await expertsOf([inv.expertId]) : [];
  } else if (to && typeof to === "object" && "expertId" in to) {
    list = await expertsOf([(to as { expertId: string }).expertId]);
  } else if (to && typeof to === "object" && "userId" in to) {
    // One account (the sign-in link after an invitation is accepted).
    list = (
      await db
        .select()
        .from(users)
        .where(
          and(eq(users.organizationId, org), eq(users.id, (to as { userId: string }).userId), eq(users.active, true)),
        )
    ).map((u) => ({
      name: u.fullName,
      address: u.email,
      locale: (u.locale === "en" ? "en" : "vi") as "vi" | "en",
      userId: u.id,
      ...(u.expertId ? { expertId: u.expertId } : {}),
    }));
  } else if (to && typeof to === "object" && "pendingExperts" in to) {
    const ids = await accepted();
    const submitted = new Set(
      (
        await db
          .select({ e: opinionVersions.expertId })
          .from(opinionVersions)
          .where(and(eq(opinionVersions.assignmentId, a.id), eq(opinionVersions.status, "submitted")))
      ).map((r) => r.e),
    );
    // An expert with a granted extension has a deadline of their own (review:<expertId>) with its
    // own reminders; the panel's general reminders are not theirs any more.
    const extended = new Set(
      (
        ((a.snapshot ?? {}) as { context?: { extensionRequests?: Array<{ expertId: string; status: string }> } })
          .context?.extensionRequests ?? []
      )
        .filter((r) => r.status === "granted")
        .map((r) => r.expertId),
    );
    list = await expertsOf(ids.filter((id) => !submitted.has(id) && !extended.has(id)));
  }
  const seen = new Set<string>();
  return list.filter((r) => r.address && !seen.has(r.address.toLowerCase()) && seen.add(r.address.toLowerCase()));
}
