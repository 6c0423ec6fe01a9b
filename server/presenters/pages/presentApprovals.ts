/** Leadership's approvals inbox: what waits on a decision, oldest first, and what the decision is. */
import type { listApprovals } from "../../queries/listApprovals.js";
import type { Translate } from "./pageTypes.js";

/** The page model. */
export function presentApprovals(rows: Awaited<ReturnType<typeof listApprovals>>, t: Translate) {
  return {
    rows: rows.map(({ assignment: a, agencyName }) => ({
      id: a.id,
      code: a.code,
      title: a.title,
      agencyName,
      stateLabel: t(`state.${a.state}`),
      what: t(`approvals.${a.state}`),
      since: a.updatedAt.toISOString(),
    })),
  };
}
