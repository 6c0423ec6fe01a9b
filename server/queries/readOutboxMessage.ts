/**
 * One message of the demo outbox with its raw .eml bytes. A file is served only when a
 * `mail_messages` row of the viewer's organisation names it and its resolved path lies inside the
 * outbox folder (no path traversal, no symlink games through the URL).
 */
import { readFile, realpath } from "node:fs/promises";
import path from "node:path";
import { and, eq, like, or } from "drizzle-orm";
import type { Db } from "../db/connect.js";
import { mailMessages } from "../db/schema.js";
import { NotFoundError } from "../errors.js";
import type { Actor } from "../runtime/actor.js";
import { requireOutboxReader } from "../policies/mailPolicy.js";
import { hiddenConfidential } from "../policies/assignmentPolicy.js";
import { organizationName } from "./listOutbox.js";

/**
 * The message row, its bytes and the organisation's name.
 * @throws ForbiddenError forbidden (staff only); NotFoundError mail_not_found
 */
export async function readOutboxMessage(db: Db, actor: Actor, props: { name: string; outboxDir: string }) {
  requireOutboxReader(actor);
  const { name } = props;
  if (!/^[A-Za-z0-9._-]{1,200}\.eml$/.test(name) || name.startsWith("."))
    throw new NotFoundError("mail_not_found", "Không tìm thấy thư.");
  const escaped = name.replace(/[%_\\]/g, "\\$&");
  const [row] = await db
    .select()
    .from(mailMessages)
    .where(
      and(
        eq(mailMessages.organizationId, actor.organizationId),
        or(like(mailMessages.file, `%/${escaped}`), like(mailMessages.file, `%\\${escaped}`)),
      ),
    )
    .limit(1);
  if (!row?.file) throw new NotFoundError("mail_not_found", "Không tìm thấy thư.");
  // A confidential assignment's mail opens only for those who work on it.
  if (row.assignmentId && (await hiddenConfidential(db, actor, [row.assignmentId])).size)
    throw new NotFoundError("mail_not_found", "Không tìm thấy thư.");
  const raw = await readInside(props.outboxDir, row.file, name);
  return { row, raw, orgName: await organizationName(db, actor) };
}

/** Reads `file` only when it resolves inside `dir` and is named `name`. @throws NotFoundError mail_not_found */
async function readInside(dir: string, file: string, name: string): Promise<Buffer> {
  try {
    const root = await realpath(dir);
    const resolved = await realpath(file);
    if (!resolved.startsWith(root + path.sep) || path.basename(resolved) !== name)
      throw new Error("outside the outbox");
    return await readFile(resolved);
  } catch {
    throw new NotFoundError("mail_not_found", "Không tìm thấy tệp thư.");
  }
}
