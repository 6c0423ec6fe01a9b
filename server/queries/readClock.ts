/** What the installation's clock says: the time, and whether (and how far) it was moved forward. */
import { MovableClock, type Clock } from "../runtime/clock.js";

export type ClockStatus = { now: Date; offsetMs: number; simulated: boolean; movable: boolean };

/** The clock's status: `simulated` while it runs ahead of the real time. */
export function readClock(clock: Clock): ClockStatus {
  const movable = clock instanceof MovableClock;
  const offsetMs = movable ? clock.offsetMs : 0;
  return { now: clock.now(), offsetMs, simulated: offsetMs > 0, movable: movable && clock.movable };
}
