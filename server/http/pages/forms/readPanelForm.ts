/**
 * The panel builder's form as a panel.invite event: members with their roles, then alternates in
 * the order of their rank (1 first), each taking the role of the seat it replaces.
 */

/** The event (EventSchema checks it) and the picks as made (to show them again). */
export function readPanelForm(b: Record<string, unknown>) {
  const pick = (b.pick ?? {}) as Record<string, string>;
  const rank = (b.rank ?? {}) as Record<string, string>;
  const chosen = Object.entries(pick).filter(([, role]) => role);
  const members = chosen.filter(([, role]) => role !== "alternate").map(([expertId, role]) => ({ expertId, role }));
  const alternates = chosen
    .filter(([, role]) => role === "alternate")
    .sort(([x], [y]) => (Number(rank[x]) || 99) - (Number(rank[y]) || 99))
    .map(([expertId]) => ({ expertId, role: "member" }));
  const event = {
    type: "panel.invite",
    members,
    ...(alternates.length ? { alternates } : {}),
    expectedVersion: Number(b.expectedVersion) || undefined,
  };
  return { event, picks: { pick, rank } };
}
