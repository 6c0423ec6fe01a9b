/**
 * What someone about to approve, endorse or issue a report needs beside it: the latest version and
 * the version leadership last returned (if any), to show what changed since. Read-only.
 */
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../db/connect.js";
import { reportVersions } from "../db/schema.js";
import type { Actor } from "../runtime/actor.js";
import { loadAssignment } from "../policies/assignmentPolicy.js";
import { requireReportDraftReader } from "../policies/documentPolicy.js";

type Returned = { comments: string; reportVersion: number };

/** @throws NotFoundError assignment_not_found; ForbiddenError forbidden */
export async function loadReportReview(db: Db, actor: Actor, assignmentId: string) {
  const a = await loadAssignment(db, actor, assignmentId);
  requireReportDraftReader(actor);
  const context = (a.snapshot as { context?: { reportVersion?: number; returns?: Returned[] } }).context ?? {};
  const lastReturn = (context.returns ?? []).at(-1) ?? null;
  const current = context.reportVersion ?? 0;
  const wanted = [current, lastReturn?.reportVersion ?? -1].filter((v) => v > 0);
  const rows = wanted.length
    ? await db
        .select({
          version: reportVersions.version,
          content: reportVersions.content,
          createdAt: reportVersions.createdAt,
        })
        .from(reportVersions)
        .where(and(eq(reportVersions.assignmentId, a.id), inArray(reportVersions.version, wanted)))
    : [];
  const byVersion = new Map(rows.map((r) => [r.version, r]));
  return {
    current: byVersion.get(current) ?? null,
    returned: lastReturn ? { ...lastReturn, row: byVersion.get(lastReturn.reportVersion) ?? null } : null,
  };
}
