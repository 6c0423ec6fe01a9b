/**
 * One invitation of one expert to one panel: invited → accepted | declined | expired | cancelled.
 * Accepting requires the confidentiality declaration and either "no conflict of interest" or the
 * conflict described in `note` (the secretariat then waives it with a reason or replaces the
 * expert); an expert who will not serve because of a conflict declines with `conflict: true`.
 * The runtime forwards the outcome to the assignment.
 */
import { assign, setup } from "xstate";

export const INVITATION_MACHINE_VERSION = 1;

export type Declaration = { noConflict: boolean; confidentiality: boolean; note?: string };

export type InvitationContext = {
  invitationId: string;
  assignmentId: string;
  expertId: string;
  role: "chair" | "secretary" | "member";
  responseWorkingDays: number;
  declaration: Declaration | null;
  declineReason: string | null;
  conflict: boolean;
};

export type InvitationInput = Pick<
  InvitationContext,
  "invitationId" | "assignmentId" | "expertId" | "role" | "responseWorkingDays"
>;

export type InvitationEvent =
  | { type: "invitation.accept"; declaration: Declaration }
  | { type: "invitation.decline"; reason: string; conflict?: boolean }
  | { type: "invitation.expire" }
  | { type: "invitation.cancel" };

export const invitationMachine = setup({
  types: { context: {} as InvitationContext, events: {} as InvitationEvent, input: {} as InvitationInput },
  actions: {
    sendMail: (_, _p: { template: string; to: "expert" | "secretariat" }) => {},
    renderDocument: (_, _p: { kind: "expertInvitation"; issue: true }) => {},
    scheduleDeadline: (_, _p: { key: string; workingDays: number; event: { type: "invitation.expire" } }) => {},
    cancelDeadline: (_, _p: { key: string }) => {},
    notifyAssignment: (
      _,
      _p: { type: "invitation.accepted" | "invitation.declined" | "invitation.expired"; conflict?: boolean },
    ) => {},
  },
  guards: {
    declarationComplete: ({ event }) => {
      const d = (event as Extract<InvitationEvent, { type: "invitation.accept" }>).declaration;
      return !!d && d.confidentiality === true && (d.noConflict === true || !!d.note?.trim());
    },
    hasReason: ({ event }) => !!(event as Extract<InvitationEvent, { type: "invitation.decline" }>).reason?.trim(),
  },
}).createMachine({
  id: "invitation",
  context: ({ input }) => ({ ...input, declaration: null, declineReason: null, conflict: false }),
  initial: "invited",
  states: {
    invited: {
      entry: [
        {
          type: "scheduleDeadline",
          params: ({ context }) => ({
            key: "invitation",
            workingDays: context.responseWorkingDays,
            event: { type: "invitation.expire" as const },
          }),
        },
        // The invitation letter (thư mời, numbered as a letter) travels with the invitation mail.
        { type: "renderDocument", params: { kind: "expertInvitation", issue: true } },
        { type: "sendMail", params: { template: "invitation", to: "expert" } },
      ],
      exit: [{ type: "cancelDeadline", params: { key: "invitation" } }],
      on: {
        "invitation.accept": {
          target: "accepted",
          guard: "declarationComplete",
          actions: [
            assign({ declaration: ({ event }) => event.declaration }),
            {
              type: "notifyAssignment",
              params: ({ event }) =>
                event.declaration.noConflict === true
                  ? { type: "invitation.accepted" as const }
                  : { type: "invitation.accepted" as const, conflict: true },
            },
          ],
        },
        "invitation.decline": {
          target: "declined",
          guard: "hasReason",
          actions: [
            assign({ declineReason: ({ event }) => event.reason, conflict: ({ event }) => !!event.conflict }),
            {
              type: "notifyAssignment",
              params: ({ event }) => ({ type: "invitation.declined" as const, conflict: !!event.conflict }),
            },
          ],
        },
        "invitation.expire": {
          target: "expired",
          actions: [
            { type: "notifyAssignment", params: { type: "invitation.expired" } },
            { type: "sendMail", params: { template: "invitation.expired", to: "secretariat" } },
          ],
        },
        "invitation.cancel": { target: "cancelled" },
      },
    },
    accepted: { on: { "invitation.cancel": { target: "cancelled" } } },
    declined: { type: "final" },
    expired: { type: "final" },
    cancelled: { type: "final" },
  },
});
