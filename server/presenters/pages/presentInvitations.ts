/** The expert's invitations: each with its assignment, role, state and due date; a refused answer's message. */
import type { listExpertInvitations } from "../../queries/listExpertInvitations.js";
import type { Translate } from "./pageTypes.js";

type Rows = Awaited<ReturnType<typeof listExpertInvitations>>;

/** The page model; `error` is shown on the invitation whose answer was refused. */
export function presentInvitations(rows: Rows, t: Translate, error?: { id: string; message: string }) {
  return {
    rows: rows.map(({ invitation: i, assignment: a }) => ({
      id: i.id,
      assignmentId: a.id,
      code: a.code,
      title: a.title,
      summary: a.summary,
      role: t(`panelRole.${i.panelRole}`),
      state: i.state,
      stateLabel: t(`invitation.${i.state}`),
      dueAt: i.dueAt?.toISOString() ?? null,
      open: i.state === "invited",
      error: error?.id === i.id ? error.message : null,
    })),
  };
}
