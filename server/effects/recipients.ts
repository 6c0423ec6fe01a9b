/**
 * Resolves a machine's audience ("agency", "panel", { expertId } …) to addresses, in the
 * recipient's language. One resolver per kind of audience; the first that matches answers.
 */
import { and, arrayContains, eq, inArray } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import { agencies, assignments, assignmentStaff, experts, invitations, opinionVersions, users } from "../db/schema.js";
import { personName } from "../words/personName.js";

/** One addressee of a mail, in their language; `userId`/`expertId` say who they are in the registry. */
export type Recipient = { name: string; address: string; locale: "vi" | "en"; userId?: string; expertId?: string };

type Assignment = typeof assignments.$inferSelect;
type Agency = typeof agencies.$inferSelect;
type Scope = { db: Executor; a: Assignment; workflowId: string; known: { agency?: Agency | null } };
type Resolver = { matches: (to: unknown) => boolean; resolve: (s: Scope, to: unknown) => Promise<Recipient[]> };

const objectWith = (key: string) => (to: unknown) => !!to && typeof to === "object" && key in to;

/** The audiences the machines name, and who each one is. */
const RESOLVERS: Resolver[] = [
  { matches: (to) => to === "agency", resolve: agencyRecipients },
  { matches: (to) => to === "recipients", resolve: resultRecipients },
  { matches: (to) => to === "secretariat" || to === "leadership", resolve: (s, to) => usersWithRole(s, String(to)) },
  { matches: (to) => to === "panel", resolve: async (s) => expertRecipients(s, await acceptedExperts(s)) },
  { matches: (to) => to === "expert", resolve: invitedExpert },
  { matches: objectWith("expertId"), resolve: (s, to) => expertRecipients(s, [(to as { expertId: string }).expertId]) },
  // One account (the sign-in link after an invitation is accepted).
  { matches: objectWith("userId"), resolve: (s, to) => userAccount(s, (to as { userId: string }).userId) },
  { matches: objectWith("pendingExperts"), resolve: async (s) => expertRecipients(s, await pendingExperts(s)) },
];

/**
 * The addresses of an audience, each once (case-insensitively), in the recipients' languages; an
 * unknown audience has none. `known.agency`, when given (null: the assignment has none or it is
 * gone), is the assignment's agency row already read by the caller; otherwise it is read here when
 * needed.
 */
export async function resolveRecipients(
  db: Executor,
  a: Assignment,
  to: unknown,
  workflowId: string,
  known: { agency?: Agency | null } = {},
): Promise<Recipient[]> {
  const resolver = RESOLVERS.find((r) => r.matches(to));
  const list = resolver ? await resolver.resolve({ db, a, workflowId, known }, to) : [];
  const seen = new Set<string>();
  return list.filter((r) => r.address && !seen.has(r.address.toLowerCase()) && seen.add(r.address.toLowerCase()));
}

function userRecipient(u: typeof users.$inferSelect): Recipient {
  return { name: u.fullName, address: u.email, locale: u.locale === "en" ? "en" : "vi", userId: u.id };
}

/**
 * The active users of the organisation who hold a role. For a confidential assignment the
 * secretariat is only those working on it (its staff and its creator): nobody outside it hears of it.
 */
async function usersWithRole(s: Scope, role: string): Promise<Recipient[]> {
  const rows = await s.db
    .select()
    .from(users)
    .where(
      and(eq(users.organizationId, s.a.organizationId), eq(users.active, true), arrayContains(users.roles, [role])),
    );
  if (!s.a.confidential || role !== "secretariat") return rows.map(userRecipient);
  const staff = await s.db
    .select({ userId: assignmentStaff.userId })
    .from(assignmentStaff)
    .where(eq(assignmentStaff.assignmentId, s.a.id));
  const inside = new Set([...staff.map((x) => x.userId), ...(s.a.createdBy ? [s.a.createdBy] : [])]);
  return rows.filter((u) => inside.has(u.id)).map(userRecipient);
}

/**
 * Who receives the result: the ordering agency, or for work without one the authorities it chose
 * (an agency of the list: its users and address; a name with an address).
 */
async function resultRecipients(s: Scope): Promise<Recipient[]> {
  if (s.a.agencyId || !s.a.recipients?.length) return agencyRecipients(s);
  const out: Recipient[] = [];
  for (const r of s.a.recipients) {
    if (r.agencyId) {
      const rows = await s.db
        .select()
        .from(users)
        .where(and(eq(users.agencyId, r.agencyId), eq(users.active, true)));
      out.push(...rows.map(userRecipient));
    }
    if (r.email) out.push({ name: r.name, address: r.email, locale: "vi" });
  }
  return out;
}

/** The agency's active users, then the agency's own address. */
async function agencyRecipients(s: Scope): Promise<Recipient[]> {
  const agencyId = s.a.agencyId;
  if (!agencyId) return [];
  const rows = await s.db
    .select()
    .from(users)
    .where(and(eq(users.agencyId, agencyId), eq(users.active, true)));
  const [ag] =
    s.known.agency !== undefined
      ? [s.known.agency]
      : await s.db.select().from(agencies).where(eq(agencies.id, agencyId));
  return [
    ...rows.map(userRecipient),
    ...(ag?.email ? [{ name: ag.name, address: ag.email, locale: "vi" as const }] : []),
  ];
}

/** Experts of the organisation with an address, named as documents name them. */
async function expertRecipients(s: Scope, ids: string[]): Promise<Recipient[]> {
  if (!ids.length) return [];
  const rows = await s.db
    .select()
    .from(experts)
    .where(and(eq(experts.organizationId, s.a.organizationId), inArray(experts.id, ids)));
  return rows
    .filter((e) => !!e.email)
    .map((e) => ({ name: personName(e), address: e.email!, locale: "vi" as const, expertId: e.id }));
}

/** The expert of the invitation workflow that asked for the mail. */
async function invitedExpert(s: Scope): Promise<Recipient[]> {
  const [inv] = await s.db.select().from(invitations).where(eq(invitations.id, s.workflowId));
  return inv ? expertRecipients(s, [inv.expertId]) : [];
}

/** One active account of the organisation, with the expert it is linked to. */
async function userAccount(s: Scope, userId: string): Promise<Recipient[]> {
  const rows = await s.db
    .select()
    .from(users)
    .where(and(eq(users.organizationId, s.a.organizationId), eq(users.id, userId), eq(users.active, true)));
  const ids = rows.map((u) => u.expertId).filter((id): id is string => !!id);
  const named = ids.length ? await s.db.select().from(experts).where(inArray(experts.id, ids)) : [];
  // An expert's account is greeted as letters greet them: "Kính gửi PGS.TS. Nguyễn Hữu Nghĩa".
  const nameOf = (u: (typeof rows)[number]) => {
    const e = named.find((x) => x.id === u.expertId);
    return e ? { name: personName(e) } : {};
  };
  return rows.map((u) => ({ ...userRecipient(u), ...nameOf(u), ...(u.expertId ? { expertId: u.expertId } : {}) }));
}

/** The experts who accepted a seat on the panel. */
async function acceptedExperts(s: Scope): Promise<string[]> {
  const rows = await s.db
    .select({ id: invitations.expertId })
    .from(invitations)
    .where(and(eq(invitations.assignmentId, s.a.id), eq(invitations.state, "accepted")));
  return rows.map((r) => r.id);
}

/**
 * The panel members who have not submitted their opinion. An expert with a granted extension has a
 * deadline of their own (review:<expertId>) with its own reminders; the panel's general reminders
 * are not theirs any more.
 */
async function pendingExperts(s: Scope): Promise<string[]> {
  const ids = await acceptedExperts(s);
  const rows = await s.db
    .select({ e: opinionVersions.expertId })
    .from(opinionVersions)
    .where(and(eq(opinionVersions.assignmentId, s.a.id), eq(opinionVersions.status, "submitted")));
  const submitted = new Set(rows.map((r) => r.e));
  type Requests = { context?: { extensionRequests?: Array<{ expertId: string; status: string }> } };
  const requests = ((s.a.snapshot ?? {}) as Requests).context?.extensionRequests ?? [];
  const extended = new Set(requests.filter((r) => r.status === "granted").map((r) => r.expertId));
  return ids.filter((id) => !submitted.has(id) && !extended.has(id));
}
