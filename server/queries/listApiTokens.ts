/** The actor's own API tokens that are still valid (never their secrets: only the hash is stored). */
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/connect.js";
import { apiTokens } from "../db/schema.js";
import type { Actor } from "../runtime/actor.js";

/** The actor's tokens; none for an actor without a user account. */
export async function listApiTokens(db: Db, actor: Actor) {
  return db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.userId, actor.id ?? ""), isNull(apiTokens.revokedAt)));
}
