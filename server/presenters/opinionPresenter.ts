/** An expert's opinion version and the versions of a report draft, as the API returns them. */
import type { opinionVersions, reportVersions } from "../db/schema.js";

/** One version of an expert's opinion. */
export function presentOpinion(o: typeof opinionVersions.$inferSelect) {
  return {
    id: o.id,
    expertId: o.expertId,
    version: o.version,
    status: o.status,
    content: o.content,
    reason: o.reason,
    submittedAt: o.submittedAt?.toISOString() ?? null,
  };
}

/** One saved version of the report draft. */
export function presentReportVersion(v: typeof reportVersions.$inferSelect) {
  return { version: v.version, content: v.content, note: v.note, createdAt: v.createdAt.toISOString() };
}
