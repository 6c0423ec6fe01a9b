/**
 * Sample payloads used only to ask the machine "would this event be accepted now?" for the
 * `can` list: payload-dependent rules are assumed met, state- and context-dependent rules are
 * really evaluated.
 */
import type { Actor } from "../../runtime/actor.js";

export function sampleEvent(
  type: string,
  ctx: Record<string, unknown>,
  actor: Actor,
): { type: string } & Record<string, unknown> {
  const pendingExt = ((ctx.extensionRequests ?? []) as Array<{ expertId: string; status: string }>).find(
    (r) => r.status === "pending",
  );
  const recs = (ctx.recommendations ?? []) as Array<{ id: string }>;
  const answered = new Set((ctx.answered ?? []) as string[]);
  const x = "x";
  const samples: Record<string, Record<string, unknown>> = {
    "documents.request": { missingDocuments: [x] },
    "order.proposeDecline": { reasons: x },
    "proposal.return": { comments: x },
    "plan.submit": { workPlan: x, costEstimate: 0 },
    "panel.invite": {
      members: [{ expertId: "00000000-0000-0000-0000-000000000000", role: "member" }],
      invitationIds: [x],
    },
    "panel.return": { comments: x },
    "extension.request": { expertId: actor.expertId, days: 1, reason: x },
    "extension.grant": { expertId: pendingExt?.expertId },
    "extension.refuse": { expertId: pendingExt?.expertId, reason: x },
    "workshop.schedule": { scheduledAt: new Date(0).toISOString(), place: x },
    "workshop.record": { minutes: x, attendees: [x] },
    "report.return": { comments: x },
    "report.issue": { recommendations: [{ id: x, number: 1 }] },
    "delivery.recorded": { channel: "email" },
    "response.save": { answers: recs.slice(0, 1).map((r) => ({ recommendationId: r.id, status: "accepted" })) },
    "response.submit": {
      answers: recs.filter((r) => !answered.has(r.id)).map((r) => ({ recommendationId: r.id, status: "accepted" })),
    },
    "assignment.reopen": { reason: x },
    "assignment.hold": { reason: x },
    "assignment.withdraw": { reason: x },
  };
  return { type, ...(samples[type] ?? {}) };
}
