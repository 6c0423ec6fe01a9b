/**
 * The demo outbox (no SMTP_URL: mail is written as .eml files): the organisation's messages that
 * have a file, newest first. Listed from `mail_messages` rows of the viewer's organisation, not
 * from the folder, so one organisation never sees another's mail on a shared installation.
 */
import { and, desc, eq, isNotNull } from "drizzle-orm";
import type { Db } from "../db/connect.js";
import { mailMessages, organizations } from "../db/schema.js";
import type { Actor } from "../runtime/actor.js";
import { requireOutboxReader } from "../policies/mailPolicy.js";

/** At most this many messages on the page. */
export const OUTBOX_LIMIT = 300;

/** @throws ForbiddenError forbidden (staff only) */
export async function listOutbox(db: Db, actor: Actor) {
  requireOutboxReader(actor);
  const rows = await db
    .select()
    .from(mailMessages)
    .where(and(eq(mailMessages.organizationId, actor.organizationId), isNotNull(mailMessages.file)))
    .orderBy(desc(mailMessages.sentAt), desc(mailMessages.createdAt))
    .limit(OUTBOX_LIMIT + 1);
  return {
    orgName: await organizationName(db, actor),
    messages: rows.slice(0, OUTBOX_LIMIT),
    more: rows.length > OUTBOX_LIMIT,
  };
}

/** The name of the actor's organisation, for the page's heading. */
export async function organizationName(db: Db, actor: Actor): Promise<string | undefined> {
  const [org] = await db
    .select({ name: organizations.name })
    .from(organizations)
    .where(eq(organizations.id, actor.organizationId));
  return org?.name;
}
