/** The registries as the API returns them: users, experts, API tokens, an expert's invitations, the caller. */
import type { apiTokens, assignments, experts, invitations, users } from "../db/schema.js";
import type { Actor } from "../runtime/actor.js";

/** A user account, without its password hash. */
export function presentUser(u: typeof users.$inferSelect) {
  return {
    id: u.id,
    email: u.email,
    fullName: u.fullName,
    roles: u.roles,
    agencyId: u.agencyId,
    expertId: u.expertId,
    locale: u.locale,
    active: u.active,
  };
}

/** An expert, without the folded search text; with load and decline rate when the list computed them. */
export function presentExpert(e: typeof experts.$inferSelect, stats?: { load: number; declineRate: number }) {
  return { ...e, searchText: undefined, ...(stats ? { load: stats.load, declineRate: stats.declineRate } : {}) };
}

/** An API token: its name and age, never its secret. */
export function presentApiToken(t: typeof apiTokens.$inferSelect) {
  return { id: t.id, name: t.name, createdAt: t.createdAt.toISOString() };
}

/** One of the caller's invitations, with the assignment it is about. */
export function presentMyInvitation(row: {
  invitation: typeof invitations.$inferSelect;
  assignment: typeof assignments.$inferSelect;
}) {
  const { invitation: i, assignment: a } = row;
  return {
    id: i.id,
    assignmentId: a.id,
    assignmentCode: a.code,
    title: a.title,
    role: i.panelRole,
    state: i.state,
    dueAt: i.dueAt?.toISOString() ?? null,
  };
}

/** Who the caller is (GET /api/v1/me), with the session's CSRF token when signed in by cookie. */
export function presentMe(a: Actor, csrfToken: string | null) {
  return {
    id: a.id,
    name: a.name,
    roles: a.roles,
    organizationId: a.organizationId,
    agencyId: a.agencyId,
    expertId: a.expertId,
    locale: a.locale,
    csrfToken,
  };
}
