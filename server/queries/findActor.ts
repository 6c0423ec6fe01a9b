/**
 * Who is calling: the one way a request's Bearer token or session cookie becomes an Actor, and the
 * one way a user row becomes one (seeding, imports and benchmarks act as a user too).
 */
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { rowsOf, type Executor } from "../db/connect.js";
import { organizations, sessions, users } from "../db/schema.js";
import { UnauthenticatedError } from "../errors.js";
import type { Actor, Role } from "../runtime/actor.js";
import { sha256 } from "../auth/passwords.js";

/** The columns of a user an actor is made of. */
export type ActorUser = Pick<
  typeof users.$inferSelect,
  "id" | "organizationId" | "fullName" | "roles" | "agencyId" | "expertId" | "locale"
> & { memberAssociationId?: string | null };

/** A user as the actor of commands and queries. */
export function actorFromUser(u: ActorUser): Actor {
  return {
    kind: "user",
    id: u.id,
    organizationId: u.organizationId,
    name: u.fullName,
    roles: u.roles as Role[],
    agencyId: u.agencyId,
    expertId: u.expertId,
    memberAssociationId: u.memberAssociationId ?? null,
    locale: u.locale === "en" ? "en" : "vi",
  };
}

/** A request's credentials: an API token (from `Authorization: Bearer`) or a session cookie's value. */
export type Credentials = { bearer?: string; sessionCookie?: string; now: Date };

/**
 * The actor behind the credentials, and the session when it is a cookie session; null when there
 * are none or the session is unknown, revoked or expired, or its Union suspended (the request is then anonymous).
 * A Bearer token wins over a cookie.
 * @throws UnauthenticatedError when a Bearer token is unknown, revoked, its user inactive or its Union suspended
 */
export async function findActor(
  db: Executor,
  creds: Credentials,
): Promise<{ actor: Actor; session?: { id: string; csrfToken: string } } | null> {
  if (creds.bearer !== undefined) return { actor: await actorByToken(db, creds.bearer) };
  if (!creds.sessionCookie) return null;
  const [row] = await db
    .select({ u: users, s: sessions })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .innerJoin(organizations, eq(organizations.id, users.organizationId))
    .where(
      and(
        isNull(organizations.suspendedAt),
        eq(sessions.id, sha256(creds.sessionCookie)),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, creds.now),
        eq(users.active, true),
      ),
    );
  return row ? { actor: actorFromUser(row.u), session: { id: row.s.id, csrfToken: row.s.csrfToken } } : null;
}

type TokenUser = {
  id: string;
  organization_id: string;
  full_name: string;
  roles: string[];
  agency_id: string | null;
  expert_id: string | null;
  member_association_id: string | null;
  locale: string;
};

/**
 * How long a token's actor is kept in this process. A revocation, a user's change (roles, active)
 * and a Union's suspension made through this process's commands clear the cache at once
 * (`forgetCachedActors`); one made by another process (a second server on the same database, or
 * SQL by hand) takes effect here within this bound.
 */
export const TOKEN_CACHE_TTL_MS = 5_000;
const TOKEN_CACHE_MAX = 1_000;

type CachedActor = { actor: Actor; until: number; generation: number };
/** Per database handle (tests run many worlds in one process), token hash → actor. */
const tokenCaches = new WeakMap<object, Map<string, CachedActor>>();
/** Bumped by every invalidation: a lookup that began before one does not store what it read. */
let generation = 0;

/**
 * Forgets every cached token → actor, in every database handle of this process. Commands call it
 * after they revoke a token, change a user or suspend a Union. Throws nothing.
 */
export function forgetCachedActors(): void {
  generation++;
}

function cacheOf(db: Executor): Map<string, CachedActor> {
  let cache = tokenCaches.get(db);
  if (!cache) tokenCaches.set(db, (cache = new Map()));
  return cache;
}

/** A copy, so no caller's change to an actor reaches the cache. */
const copyActor = (a: Actor): Actor => ({ ...a, roles: [...a.roles] });

async function actorByToken(db: Executor, token: string): Promise<Actor> {
  const hash = sha256(token);
  const cache = cacheOf(db);
  const now = Date.now();
  const hit = cache.get(hash);
  if (hit && hit.until > now && hit.generation === generation) return copyActor(hit.actor);
  const startedAt = generation;
  const actor = await actorByTokenFromDb(db, hash);
  if (startedAt === generation) {
    if (cache.size >= TOKEN_CACHE_MAX) cache.delete(cache.keys().next().value as string);
    cache.set(hash, { actor: copyActor(actor), until: now + TOKEN_CACHE_TTL_MS, generation });
  }
  return actor;
}

async function actorByTokenFromDb(db: Executor, hash: string): Promise<Actor> {
  // Flat SQL with only what an actor needs: every API request pays for this lookup (when not cached).
  const found = await db.execute(sql`select u.id, u.organization_id, u.full_name, u.roles, u.agency_id, u.expert_id,
      u.member_association_id, u.locale
    from api_tokens t join users u on u.id = t.user_id join organizations o on o.id = u.organization_id
    where t.token_hash = ${hash} and t.revoked_at is null and u.active and o.suspended_at is null`);
  const [u] = rowsOf<TokenUser>(found);
  if (!u) throw new UnauthenticatedError("Mã truy cập không hợp lệ hoặc đã bị thu hồi.");
  return actorFromUser({
    id: u.id,
    organizationId: u.organization_id,
    fullName: u.full_name,
    roles: u.roles,
    agencyId: u.agency_id,
    expertId: u.expert_id,
    memberAssociationId: u.member_association_id,
    locale: u.locale,
  });
}
