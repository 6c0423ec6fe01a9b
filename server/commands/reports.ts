/**
 * The consolidated report draft (dự thảo báo cáo tổng hợp), versioned: each save is a new version;
 * paragraphs cite the opinion versions they draw on; the assignment records the newest version.
 * The editor's background autosave does not add a version each time: it updates the newest version
 * in place while that version is the same writer's and leadership has not seen it (never one that
 * was submitted and returned), so the versions and the timeline keep what people saved on purpose.
 */
import { desc, eq } from "drizzle-orm";
import { reportVersions } from "../db/schema.js";
import { ConflictError } from "../errors.js";
import type { Actor } from "../runtime/actor.js";
import { applyAssignmentEventInTx, inTransaction, type RuntimeDeps } from "../runtime/applyEvent.js";
import { authorizeEvent, loadAssignment } from "../policies/assignmentPolicy.js";

/** A passage of an opinion a paragraph quotes: the opinion version and its part ("I", "II.2", "III"). */
export type Citation = { opinionId: string; part: string };
type Sourced = { text: string; sources?: string[]; citations?: Citation[] };

export type ReportContent = {
  sections: Array<{ key: string; title: string; paragraphs: Sourced[] }>;
  recommendations: Sourced[];
  commentMatrix?: Array<{ section: string; opinion: string; proposedChange: string; expertId?: string }>;
  minorityViews?: Array<{ expertId?: string; text: string }>;
  /** Absent in a draft until the secretariat chooses; required on submit. */
  conclusion?: "fit" | "fit_after_revision" | "not_fit";
};

/** Saves a new version of the report draft (consolidation only); `autosave` may update the newest in place. */
export async function saveReportDraft(
  deps: RuntimeDeps,
  props: { actor: Actor; assignmentId: string; content: ReportContent; note?: string; autosave?: boolean },
) {
  return inTransaction(deps, async (tx) => {
    const a = await loadAssignment(tx, props.actor, props.assignmentId);
    authorizeEvent(props.actor, "report.submit", a);
    if (a.state !== "consolidation")
      throw new ConflictError("event_not_allowed", "Chỉ soạn báo cáo tổng hợp ở bước tổng hợp ý kiến.");
    const [prev] = await tx
      .select({ id: reportVersions.id, version: reportVersions.version, authorId: reportVersions.authorId })
      .from(reportVersions)
      .where(eq(reportVersions.assignmentId, a.id))
      .orderBy(desc(reportVersions.version))
      .limit(1);
    if (props.autosave && prev && prev.authorId === props.actor.id && prev.version > lastReturned(a.snapshot)) {
      const [row] = await tx
        .update(reportVersions)
        .set({ content: props.content, createdAt: deps.clock.now() })
        .where(eq(reportVersions.id, prev.id))
        .returning();
      return row;
    }
    const version = (prev?.version ?? 0) + 1;
    const [row] = await tx
      .insert(reportVersions)
      .values({
        organizationId: a.organizationId,
        assignmentId: a.id,
        version,
        content: props.content,
        authorId: props.actor.id,
        note: props.note ?? null,
        createdAt: deps.clock.now(),
      })
      .returning();
    await applyAssignmentEventInTx(
      tx,
      { clock: deps.clock, actor: props.actor },
      a.id,
      { type: "report.drafted", version },
      { reason: props.note },
    );
    return row;
  });
}

/** The newest version leadership returned (0: none); it stays as it was seen. */
function lastReturned(snapshot: unknown): number {
  const returns = (snapshot as { context?: { returns?: Array<{ reportVersion: number }> } }).context?.returns ?? [];
  return Math.max(0, ...returns.map((r) => r.reportVersion));
}
