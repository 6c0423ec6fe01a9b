/**
 * Readers of what a document reports from the database: the assignment with its agency and
 * machine context, the accepted panel, the payload of the event that issued the document, earlier
 * numbered documents, and the latest consolidated report.
 */
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import { agencies, assignments, documents, experts, history, invitations, reportVersions } from "../db/schema.js";
import { ValidationError } from "../errors.js";
import type { AssignmentContext } from "../../workflows/assignment/types.js";
import { personName } from "../words/personName.js";
import { numberLabelOf } from "./numberLabel.js";
import type { DocumentKind, OrgProfile, PanelMember, PanelRole } from "./types.js";

/** The assignment, its agency (null: none) and its machine context. */
export type AssignmentData = Awaited<ReturnType<typeof loadAssignmentData>>;

/**
 * Reads the assignment of a document within its organisation.
 * @throws ValidationError `assignment_not_found`.
 */
export async function loadAssignmentData(db: Executor, organizationId: string, assignmentId: string) {
  // The assignment and its agency in one statement (one round trip, one plan).
  const [row] = await db
    .select({ a: assignments, agency: agencies })
    .from(assignments)
    .leftJoin(agencies, eq(agencies.id, assignments.agencyId))
    .where(and(eq(assignments.id, assignmentId), eq(assignments.organizationId, organizationId)));
  if (!row) throw new ValidationError("assignment_not_found", "Không tìm thấy nhiệm vụ của văn bản.");
  const { a, agency } = row;
  const context = ((a.snapshot as { context?: AssignmentContext }).context ?? {}) as AssignmentContext;
  return { a, agency: agency ?? null, context };
}

/** The panel as documents list it: accepted members, chair first, then secretary, then members. */
export async function panelMembers(db: Executor, assignmentId: string): Promise<PanelMember[]> {
  // Only the columns a document prints (an invitation row also holds its snapshot).
  const rows = await db
    .select({
      panelRole: invitations.panelRole,
      e: {
        fullName: experts.fullName,
        academicTitle: experts.academicTitle,
        degree: experts.degree,
        workplace: experts.workplace,
        fields: experts.fields,
      },
    })
    .from(invitations)
    .innerJoin(experts, eq(experts.id, invitations.expertId))
    .where(and(eq(invitations.assignmentId, assignmentId), eq(invitations.state, "accepted")))
    .orderBy(asc(invitations.rank));
  const order: Record<string, number> = { chair: 0, viceChair: 1, secretary: 2, reviewer: 3, member: 4 };
  return rows
    .map((r) => ({
      name: personName(r.e),
      workplace: r.e.workplace ?? "",
      role: (["chair", "secretary", "member"].includes(r.panelRole) ? r.panelRole : "member") as PanelRole,
      ...(r.e.fields.length ? { field: r.e.fields.join(", ") } : {}),
    }))
    .sort((x, y) => order[x.role] - order[y.role]);
}

/** The payload of the event that issued the document (same workflow version), or the latest of that type. */
export async function eventPayload(
  db: Executor,
  assignmentId: string,
  eventType: string,
  version?: number,
): Promise<Record<string, unknown> | null> {
  const conds = [eq(history.assignmentId, assignmentId), eq(history.eventType, eventType)];
  if (version !== undefined) {
    const [exact] = await db
      .select()
      .from(history)
      .where(and(...conds, eq(history.version, version), eq(history.workflow, "assignment")))
      .limit(1);
    if (exact) return exact.payload;
  }
  const [latest] = await db
    .select()
    .from(history)
    .where(and(...conds))
    .orderBy(desc(history.id))
    .limit(1);
  return latest?.payload ?? null;
}

/** The number and date of the latest issued (or issuing) document of a kind for the assignment. */
export async function issuedRef(
  db: Executor,
  assignmentId: string,
  kind: DocumentKind,
  profile: OrgProfile,
): Promise<{ number: string; date: string } | null> {
  // Its number and date only: the row also holds that document's whole frozen view model.
  const [doc] = await db
    .select({
      number: documents.number,
      numberLabel: documents.numberLabel,
      register: documents.register,
      issuedAt: documents.issuedAt,
    })
    .from(documents)
    .where(
      and(
        eq(documents.assignmentId, assignmentId),
        eq(documents.kind, kind),
        inArray(documents.status, ["issued", "issuing"]),
      ),
    )
    .orderBy(desc(documents.issuedAt))
    .limit(1);
  if (!doc || doc.number === null || !doc.issuedAt) return null;
  return {
    number: doc.numberLabel ?? numberLabelOf(kind, doc.number, profile, !!doc.register?.endsWith("-MAT")) ?? "",
    date: doc.issuedAt.toISOString(),
  };
}

/** The content of a consolidated report version, as the secretariat saved it. */
export type ReportContent = {
  sections?: Array<{ key?: string; title?: string; paragraphs?: Array<{ text: string }> }>;
  recommendations?: Array<{ text: string }>;
  commentMatrix?: Array<{ section: string; opinion: string; proposedChange: string; expertId?: string }>;
  minorityViews?: Array<{ expertId?: string; text: string }>;
  conclusion?: string;
};

/** The latest consolidated report draft (the approved one once approval has passed). */
export async function latestReport(
  db: Executor,
  assignmentId: string,
): Promise<{ version: number; content: ReportContent } | null> {
  const [r] = await db
    .select({ version: reportVersions.version, content: reportVersions.content })
    .from(reportVersions)
    .where(eq(reportVersions.assignmentId, assignmentId))
    .orderBy(desc(reportVersions.version))
    .limit(1);
  return r ? { version: r.version, content: r.content as ReportContent } : null;
}

/** A free text cut into items: one per line or per "; ", trailing "." or ";" dropped. */
export function lines(text: string | null | undefined): string[] {
  return (
    (text ?? "")
      .split(/\r?\n|;\s*/)
      .map((s) => s.trim().replace(/[.;]$/, ""))
      .filter(Boolean)
      // Each item starts a line of a list: a capital, as a văn thư writes it.
      .map((s) => s.charAt(0).toLocaleUpperCase("vi") + s.slice(1))
  );
}
