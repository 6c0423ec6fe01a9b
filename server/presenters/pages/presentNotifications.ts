/**
 * The notifications (issue 14 §6) as the header and the /notifications page show them: what waits on
 * the reader and what others changed on their assignments since they last looked, in words.
 */
import type { loadNotifications } from "../../queries/loadNotifications.js";
import type { Translate } from "./pageTypes.js";

type Notifications = Awaited<ReturnType<typeof loadNotifications>>;

/** The lists (the header shows the first `show` of each) and their counts. */
export function presentNotifications(n: Notifications, t: Translate, show = Infinity) {
  const waiting = n.waiting.map((w) => ({
    href: `/assignments/${w.id}`,
    code: w.code,
    title: w.title,
    what: t(`notifications.what.${w.what}`),
    dueAt: w.dueAt,
  }));
  const changes = n.changes.map((c) => ({
    href: `/assignments/${c.assignmentId}`,
    code: c.code,
    title: c.title,
    eventLabel: t(`event.${c.event}`),
    actorName: c.actorName,
    at: c.at.toISOString(),
  }));
  const changeCount = `${changes.length}${n.moreChanges ? "+" : ""}`;
  return {
    waiting: waiting.slice(0, show),
    changes: changes.slice(0, show),
    waitingCount: waiting.length,
    changeCount,
    total: waiting.length + changes.length,
    moreWaiting: waiting.length > show,
    moreChanges: changes.length > show || n.moreChanges,
    since: n.since.toISOString(),
  };
}
