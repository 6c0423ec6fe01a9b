/** Panel formation: inviting experts, proposing the panel, leadership's approval or return. */
import { z } from "zod";
import { and, eq, inArray } from "drizzle-orm";
import { experts } from "../../db/schema.js";
import { ConflictError, ValidationError } from "../../errors.js";
import { newId } from "../../runtime/applyEvent.js";
import type { Tx } from "../../db/connect.js";
import { declareEvent, type EnrichContext, type EventDeclaration } from "./declare.js";
import { candidate, optText, text, uuid } from "./fields.js";
import type { AssignmentContext } from "../../../workflows/assignment/types.js";

/** The first accepted seat with an unresolved declared conflict, for the `can` list. */
const conflictProbe = (ctx: AssignmentContext) => ({
  invitationId: (ctx.panel ?? []).find((s) => s.status === "accepted" && s.conflict)?.invitationId ?? "none",
  reason: "probe",
});

type Invite = { members: Array<{ expertId: string }>; alternates?: Array<{ expertId: string }> };

/**
 * Every invited expert (members and alternates) is an active expert of the organisation who does
 * not work for the ordering agency; each member's invitation gets its id now.
 * @throws ValidationError expert_not_found, ConflictError expert_conflict
 */
async function checkInvitedExperts(tx: Tx, { assignment: a }: EnrichContext, event: Invite) {
  const ids = [...event.members, ...(event.alternates ?? [])].map((m) => m.expertId);
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
  return { ...event, invitationIds: event.members.map(() => newId()) };
}

export const PANEL_EVENTS: Record<string, EventDeclaration> = {
  "panel.invite": declareEvent({
    payload: { members: z.array(candidate).min(1).max(30), alternates: z.array(candidate).max(30).optional() },
    roles: ["secretariat"],
    enrich: checkInvitedExperts,
    rules: { invitesValid: "rule.invitesValid" },
    probe: () => ({ invitationIds: ["probe"] }),
    form: { ownPage: true },
  }),
  "conflict.waive": declareEvent({
    payload: { invitationId: uuid, reason: text() },
    roles: ["secretariat"],
    rules: { conflictResolvable: "rule.conflictResolvable" },
    probe: conflictProbe,
  }),
  "conflict.replace": declareEvent({
    payload: { invitationId: uuid, reason: text() },
    roles: ["secretariat"],
    // The next ranked alternate (if any) gets an invitation with this id.
    enrich: async (_tx, _ctx, event) => ({ ...event, nextInvitationId: newId() }),
    rules: { conflictResolvable: "rule.conflictResolvable" },
    probe: conflictProbe,
    form: { danger: true },
  }),
  "panel.submit": declareEvent({
    payload: { note: optText() },
    roles: ["secretariat"],
    rules: { panelComplete: "rule.panelComplete" },
  }),
  "panel.approve": declareEvent({
    payload: { note: optText() },
    roles: ["leadership"],
    rules: { panelComplete: "rule.panelComplete" },
  }),
  "panel.return": declareEvent({
    payload: { comments: text() },
    roles: ["leadership"],
    rules: { hasComments: "rule.hasComments" },
    form: { danger: true },
  }),
};
