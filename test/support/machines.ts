/**
 * Helpers for the pure machine tests (no database): inputs with a realistic timeline, a driver that
 * walks an assignment to a given state along the ordinary path, effects stripped to `{ type, params }`,
 * flattened state values, and the persist → JSON → restore round trip the server performs.
 */
import { restoreSnapshot } from "../../workflows/restoreSnapshot.js";
import {
  initialTransition,
  transition,
  type AnyStateMachine,
  type EventFromLogic,
  type SnapshotFrom,
  type StateValue,
} from "xstate";
import { assignmentMachine, type AssignmentEvent } from "../../workflows/assignment/assignmentMachine.js";
import type { AssignmentInput, Timeline } from "../../workflows/assignment/types.js";
import type { InvitationInput } from "../../workflows/invitation/invitationMachine.js";

export type AssignmentSnapshot = SnapshotFrom<typeof assignmentMachine>;

/** An effect as the runtime queues it: the action's name and its resolved parameters. */
export type Effect = { type: string; params?: unknown };

/**
 * The organisation's default durations: 5 WD screening, planning and consolidation; 15 days of review; 30 days to
 * respond.
 */
export const defaultTimeline: Timeline = {
  screeningWorkingDays: 5,
  planningWorkingDays: 5,
  invitationWorkingDays: 3,
  reviewDays: 15,
  consolidationWorkingDays: 5,
  responseDays: 30,
};

/**
 * The input of an assignment: by default a council critique of the provincial medicinal-plants
 * scheme with three accepted seats and three opinions needed.
 */
export function assignmentInput(overrides: Partial<AssignmentInput> = {}): AssignmentInput {
  return {
    assignmentId: "PB-2026-014",
    type: "critique",
    forms: ["council"],
    origin: "ordered",
    confidential: false,
    minOpinions: 3,
    minPanel: 3,
    ...overrides,
    timeline: { ...defaultTimeline, ...overrides.timeline },
  };
}

/** The input of one invitation: the chair's seat on that council, 3 WD to answer. */
export function invitationInput(overrides: Partial<InvitationInput> = {}): InvitationInput {
  return {
    invitationId: "inv-01",
    assignmentId: "PB-2026-014",
    expertId: "cg-nguyen-van-an",
    role: "chair",
    responseWorkingDays: 3,
    ...overrides,
  };
}

/** `{ active: { screening: "reviewing" } }` → `"active.screening.reviewing"` (parallel regions joined by " | "). */
export function flattenState(value: StateValue): string {
  if (typeof value === "string") return value;
  return Object.entries(value)
    .map(([key, child]) =>
      child === undefined || (typeof child === "object" && Object.keys(child).length === 0)
        ? key
        : `${key}.${flattenState(child as StateValue)}`,
    )
    .join(" | ");
}

/** The effects a transition asks for, without xstate's bookkeeping (`info`, `exec`). */
export function effects(actions: ReadonlyArray<{ type: string; params?: unknown }>): Effect[] {
  return actions.map((a) => (a.params === undefined ? { type: a.type } : { type: a.type, params: a.params }));
}

/** Only the effects of one type, by their parameters. */
export function paramsOf(actions: ReadonlyArray<{ type: string; params?: unknown }>, type: string): unknown[] {
  return actions.filter((a) => a.type === type).map((a) => a.params);
}

/** Persist as the server does: `getPersistedSnapshot`, through JSON (a jsonb column), then `resolveState`. */
export function roundTrip<M extends AnyStateMachine>(machine: M, snapshot: SnapshotFrom<M>): SnapshotFrom<M> {
  const json = JSON.parse(JSON.stringify(machine.getPersistedSnapshot(snapshot)));
  return restoreSnapshot(machine, json);
}

/**
 * Sends an event the machine must accept; throws a readable error when it is refused, so a driver
 * that stops half-way says where and why.
 */
export function send<M extends AnyStateMachine>(
  machine: M,
  snapshot: ReturnType<M["resolveState"]>,
  event: EventFromLogic<M>,
) {
  const from = flattenState(snapshot.value);
  if (!snapshot.can(event)) throw new Error(`${event.type} refused in ${from}`);
  const [next, actions] = transition(machine, snapshot as SnapshotFrom<M>, event);
  return [next as ReturnType<M["resolveState"]>, actions] as const;
}

export const panelMembers = [
  { expertId: "cg-nguyen-van-an", role: "chair" },
  { expertId: "cg-tran-thi-binh", role: "secretary" },
  { expertId: "cg-le-quang-cuong", role: "member" },
] as const;

export const panelAlternates = [
  { expertId: "cg-pham-thu-dung", role: "member" },
  { expertId: "cg-hoang-minh-duc", role: "chair" },
] as const;

export const recommendationIds = ["kn-01", "kn-02", "kn-03"] as const;

/** The ordinary path of an assignment, each event with the state it leads to. */
function ordinaryPath(input: AssignmentInput): Array<{ event: AssignmentEvent; then: string }> {
  const council = input.forms.includes("council");
  const workshop = input.forms.includes("workshop");
  const path: Array<{ event: AssignmentEvent; then: string }> = [
    {
      event: { type: "order.register", note: "Công văn số 112/UBND-KT ngày 05/01/2026" },
      then: "active.screening.reviewing",
    },
    {
      event: { type: "order.proposeAccept", note: "Đúng phạm vi, hồ sơ đầy đủ" },
      then: "active.screening.proposedAccept",
    },
    { event: { type: "order.accept" }, then: "active.planning" },
    {
      event: {
        type: "plan.submit",
        workPlan: "Thành lập Hội đồng 3 thành viên, họp thẩm định tháng 3/2026",
        costEstimate: 45_000_000,
      },
      then: "active.panelFormation.forming",
    },
    {
      event: {
        type: "panel.invite",
        members: panelMembers.map((m) => ({ ...m })),
        alternates: panelAlternates.map((m) => ({ ...m })),
        invitationIds: ["inv-01", "inv-02", "inv-03"],
      },
      then: "active.panelFormation.forming",
    },
    { event: { type: "invitation.accepted", invitationId: "inv-01" }, then: "active.panelFormation.forming" },
    { event: { type: "invitation.accepted", invitationId: "inv-02" }, then: "active.panelFormation.forming" },
    { event: { type: "invitation.accepted", invitationId: "inv-03" }, then: "active.panelFormation.forming" },
    { event: { type: "panel.submit" }, then: "active.panelFormation.proposed" },
    { event: { type: "panel.approve" }, then: "active.underReview" },
  ];
  if (workshop) {
    path.push(
      {
        event: {
          type: "workshop.schedule",
          scheduledAt: "2026-03-12T08:00:00+07:00",
          place: "Hội trường Liên hiệp hội, số 8 đường Trần Hưng Đạo",
        },
        then: "active.underReview",
      },
      {
        event: {
          type: "workshop.record",
          minutes: "Biên bản hội thảo",
          attendees: panelMembers.map((m) => m.expertId),
        },
        then: "active.underReview",
      },
    );
  }
  for (const m of panelMembers)
    path.push({ event: { type: "opinion.submitted", expertId: m.expertId, version: 1 }, then: "active.underReview" });
  path.push(
    { event: { type: "review.close" }, then: "active.consolidation" },
    { event: { type: "report.drafted", version: 1 }, then: "active.consolidation" },
    {
      event: { type: "report.submit" },
      then: council ? "active.approval.awaitingChair" : "active.approval.awaitingLeadership",
    },
  );
  if (council) path.push({ event: { type: "report.endorse" }, then: "active.approval.awaitingLeadership" });
  path.push(
    { event: { type: "report.approve" }, then: "active.issuing" },
    {
      event: { type: "report.issue", recommendations: recommendationIds.map((id, i) => ({ id, number: i + 1 })) },
      then: "active.sent",
    },
    { event: { type: "delivery.recorded", channel: "email" }, then: "active.awaitingResponse" },
    {
      event: {
        type: "response.submit",
        answers: recommendationIds.map((id) => ({ recommendationId: id, status: "accepted" as const })),
      },
      then: "active.responded",
    },
    { event: { type: "assignment.close", note: "Đã thanh toán, hồ sơ đã lưu trữ" }, then: "closed" },
  );
  return path;
}

/** States off the ordinary path: how to get there from a state on it. */
const detours: Record<string, { from: string; events: AssignmentEvent[] }> = {
  "active.screening.awaitingDocuments": {
    from: "active.screening.reviewing",
    events: [{ type: "documents.request", missingDocuments: ["Tờ trình của Sở Nông nghiệp và Môi trường"] }],
  },
  "active.screening.proposedDecline": {
    from: "active.screening.reviewing",
    events: [{ type: "order.proposeDecline", reasons: "Ngoài phạm vi TVPB&GĐXH của Liên hiệp hội" }],
  },
  declined: {
    from: "active.screening.reviewing",
    events: [
      { type: "order.proposeDecline", reasons: "Ngoài phạm vi TVPB&GĐXH của Liên hiệp hội" },
      { type: "order.decline" },
    ],
  },
  onHold: {
    from: "active.screening.reviewing",
    events: [{ type: "assignment.hold", reason: "Cơ quan đặt hàng đề nghị tạm dừng để chỉnh sửa dự thảo" }],
  },
  withdrawn: {
    from: "active.screening.reviewing",
    events: [{ type: "assignment.withdraw", reason: "UBND tỉnh rút dự thảo" }],
  },
};

/**
 * Drives a new assignment to `target` (a flattened state such as "active.underReview"), stopping the
 * first time it gets there: "active.panelFormation.forming" has an empty panel, "active.underReview"
 * no opinions yet. Throws when an event on the way is refused.
 */
export function driveTo(target: string, overrides: Partial<AssignmentInput> = {}): AssignmentSnapshot {
  const input = assignmentInput(overrides);
  let [snapshot] = initialTransition(assignmentMachine, input);
  const detour = detours[target];
  const stopAt = detour ? detour.from : target;
  if (flattenState(snapshot.value) !== stopAt) {
    const path = ordinaryPath(input);
    const stop = path.findIndex((s) => s.then === stopAt);
    if (stop < 0) throw new Error(`no way to ${target}`);
    for (const { event } of path.slice(0, stop + 1)) [snapshot] = send(assignmentMachine, snapshot, event);
  }
  for (const event of detour?.events ?? []) [snapshot] = send(assignmentMachine, snapshot, event);
  const reached = flattenState(snapshot.value);
  if (reached !== target) throw new Error(`drove to ${reached}, not ${target}`);
  return snapshot;
}

/** Sends several events in a row (each must be accepted) and returns the last snapshot and its effects. */
export function sendAll(snapshot: AssignmentSnapshot, ...events: AssignmentEvent[]) {
  let actions: ReturnType<typeof send<typeof assignmentMachine>>[1] = [];
  for (const event of events) [snapshot, actions] = send(assignmentMachine, snapshot, event);
  return [snapshot, actions] as const;
}
