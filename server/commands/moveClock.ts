/**
 * An administrator moves the installation's clock forward (not in production): deadlines fall due,
 * reminders and escalations go out and date lines follow, as if that time had passed.
 */
import { ForbiddenError, ValidationError } from "../errors.js";
import type { Actor } from "../runtime/actor.js";
import { MovableClock, parseClockOffset, type Clock } from "../runtime/clock.js";
import { requireRole } from "../policies/assignmentPolicy.js";
import { readClock } from "../queries/readClock.js";

/**
 * Moves the installation's clock forward by `by` ("3d", "12h", "1d6h" or hours) for every process
 * (the offset is kept in the database when the clock has a store) and returns its new status; the
 * workers are kicked (onCommitted) so what fell due happens now.
 * @throws ForbiddenError forbidden (not an admin), clock_fixed_in_production; ValidationError invalid_offset
 */
export async function moveClock(deps: { clock: Clock; onCommitted?: () => void }, props: { actor: Actor; by: string }) {
  requireRole(props.actor, "admin");
  const { clock } = deps;
  if (!(clock instanceof MovableClock) || !clock.movable)
    throw new ForbiddenError(
      "Không thể dời đồng hồ của hệ thống khi chạy thật (NODE_ENV=production).",
      "clock_fixed_in_production",
    );
  const ms = parseClockOffset(props.by);
  if (ms === null)
    throw new ValidationError("invalid_offset", "Khoảng dời đồng hồ phải là ví dụ 3d, 12h, 1d6h (tới trước).", "by");
  await clock.moveForward(ms);
  deps.onCommitted?.();
  return readClock(clock);
}
