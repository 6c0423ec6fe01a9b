/**
 * The use case behind POST /assignments/:id/events: check the role, complete the event with what
 * the server knows (ids of new invitations, the numbered recommendations of the approved report,
 * the expert sending it), then apply it.
 */
import { and, desc, eq, inArray } from "drizzle-orm";
import { experts, invitations, reportVersions } from "../db/schema.js";
import { ConflictError, ForbiddenError, ValidationError } from "../errors.js";
import { hasRole, type Actor } from "../runtime/actor.js";
import {
  applyAssignmentEventInTx,
  inTransaction,
  newId,
  type AssignmentRow,
  type RuntimeDeps,
} from "../runtime/applyEvent.js";
import { authorizeEvent, loadAssignment } from "../policies/assignmentPolicy.js";
import type { Tx } from "../db/connect.js";

type Event = { type: string } & Record<string, unknown>;

/**
 * @throws NotFoundError, ForbiddenError, ValidationError, ConflictError (event_not_allowed,
 *   rule_violated, stale_version, expert_conflict)
 */
export async function sendAssignmentEvent(
  deps: RuntimeDeps,
  props: { actor: Actor; assignmentId: string; event: Event; expectedVersion?: number },
): Promise<AssignmentRow> {
  const { actor } = props;
  return inTransaction(deps, async (tx) => {
    const assignment = await loadAssignment(tx, actor, props.assignmentId);
    authorizeEvent(actor, props.event.type, assignment);
    const event = await enrich(tx, actor, assignment, props.event);
    return applyAssignmentEventInTx(tx, { clock: deps.clock, actor }, assignment, event, {
      expectedVersion: props.expectedVersion,
    });
  });
}

async function enrich(tx: Tx, actor: Actor, a: AssignmentRow, event: Event): Promise<Event> {
  switch (event.type) {
    case "panel.invite": {
      const members = (event.members ?? []) as Array<{ expertId: string; role: string }>;
      const alternates = (event.alternates ?? []) as Array<{ expertId: string; role: string }>;
      const ids = [...members, ...alternates].map((m) => m.expertId);
      const found = ids.length
        ? await tx
            .select()
            .from(experts)
            .where(and(eq(experts.organizationId, a.organizationId), inArray(experts.id, ids)))
        : [];
      for (const id of ids) {
        const e = found.find((x) => x.id === id);
        if (!e || !e.active)
          throw new ValidationError(
            "expert_not_found",
            "Không tìm thấy chuyên gia trong danh sách (hoặc chuyên gia đã ngừng hoạt động).",
            "members",
          );
        // Obvious conflict of interest: works for the ordering agency.
        if (a.agencyId && e.employerAgencyId === a.agencyId) {
          throw new ConflictError(
            "expert_conflict",
            `Chuyên gia ${e.fullName} công tác tại cơ quan đặt hàng: có xung đột lợi ích.`,
            { expertId: id },
          );
        }
      }
      return { ...event, invitationIds: members.map(() => newId()) };
    }
    case "extension.request":
      if (!actor.expertId) throw new ForbiddenError();
      return { ...event, expertId: actor.expertId };
    case "report.endorse": {
      if (hasRole(actor, "secretariat")) return event;
      const [seat] = actor.expertId
        ? await tx
            .select()
            .from(invitations)
            .where(
              and(
                eq(invitations.assignmentId, a.id),
                eq(invitations.expertId, actor.expertId),
                eq(invitations.state, "accepted"),
                eq(invitations.panelRole, "chair"),
              ),
            )
        : [];
      if (!seat) throw new ForbiddenError("Chỉ chủ tịch hội đồng (hoặc Ban TVPB thay mặt) xác nhận báo cáo.");
      return event;
    }
    case "report.issue": {
      const [report] = await tx
        .select()
        .from(reportVersions)
        .where(eq(reportVersions.assignmentId, a.id))
        .orderBy(desc(reportVersions.version))
        .limit(1);
      const recs = (
        (report?.content as { recommendations?: Array<{ text: string }> } | undefined)?.recommendations ?? []
      ).filter((r) => r.text?.trim());
      return { ...event, recommendations: recs.map((r, i) => ({ id: newId(), number: i + 1, text: r.text })) };
    }
    default:
      return event;
  }
}
