/** Which page of an assignment's timeline its page shows: the most recent, or those before `?older=<history id>`. */

/** How many timeline rows the assignment page shows at a time. */
export const TIMELINE_PAGE = 30;

/** The timeline page from the query string (anything but a positive integer means "the most recent"). */
export function readTimelinePage(q: Record<string, unknown>): { limit: number; before?: number } {
  const older = typeof q.older === "string" && /^[1-9][0-9]{0,15}$/.test(q.older) ? Number(q.older) : undefined;
  return older ? { limit: TIMELINE_PAGE, before: older } : { limit: TIMELINE_PAGE };
}
