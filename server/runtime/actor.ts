/** Who is acting: a signed-in user, a token's user, or the system (workers, timers). */
export type Role =
  "agency" | "association" | "secretariat" | "expert" | "leadership" | "clerk" | "admin" | "accountant";

export const ROLES: readonly Role[] = [
  "agency",
  "association",
  "secretariat",
  "expert",
  "leadership",
  "clerk",
  "admin",
  "accountant",
];

export type Actor = {
  kind: "user" | "system";
  id: string | null;
  organizationId: string;
  name: string;
  roles: Role[];
  agencyId: string | null;
  expertId: string | null;
  /** For role "association": the member association the user speaks for (annual plan proposals). */
  memberAssociationId?: string | null;
  locale: "vi" | "en";
};

/** The system actor of one organisation (timers, effects reporting back). */
export function systemActor(organizationId: string, name = "Hệ thống"): Actor {
  return { kind: "system", id: null, organizationId, name, roles: [], agencyId: null, expertId: null, locale: "vi" };
}

export const hasRole = (actor: Actor, ...roles: Role[]) => roles.some((r) => actor.roles.includes(r));

/** An installation operator: above the Unions and in none of them (no organisation, no roles in one). */
export type Operator = { kind: "operator"; id: string; name: string; email: string };
