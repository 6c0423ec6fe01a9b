/**
 * The demo outbox (no SMTP_URL: mail is written as .eml files): the organisation's messages that
 * have a file, newest first. Listed from `mail_messages` rows of the viewer's organisation, not
 * from the folder, so one organisation never sees another's mail on a shared installation. A mail
 * of a confidential assignment the reader does not work on shows only that it exists ("Nhiệm vụ
 * mật <code>" as its subject, no recipients; its file does not open: readOutboxMessage).
 */
import { and, desc, eq, isNotNull } from "drizzle-orm";
import type { Db } from "../db/connect.js";
import { mailMessages, organizations } from "../db/schema.js";
import type { Actor } from "../runtime/actor.js";
import { requireOutboxReader } from "../policies/mailPolicy.js";
import { hiddenConfidential } from "../policies/assignmentPolicy.js";
import { translate } from "../words/catalogue.js";

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
  const hidden = await hiddenConfidential(
    db,
    actor,
    rows.map((m) => m.assignmentId),
  );
  const messages = rows.slice(0, OUTBOX_LIMIT).map((m) => {
    const secret = m.assignmentId ? hidden.get(m.assignmentId) : undefined;
    if (!secret) return m;
    const subject = translate(actor.locale ?? "vi", "assignment.confidentialMasked", { code: secret.code });
    return { ...m, subject, recipients: [], error: null };
  });
  return {
    orgName: await organizationName(db, actor),
    messages,
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
