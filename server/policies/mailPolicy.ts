/** Who may read what went out by mail: the delivery log and the demo outbox are for staff. */
import { ForbiddenError } from "../errors.js";
import type { Actor } from "../runtime/actor.js";
import { isStaff } from "./staffPolicy.js";

/** An assignment's delivery log. @throws ForbiddenError forbidden */
export function requireMailLogReader(actor: Actor): void {
  if (!isStaff(actor)) throw new ForbiddenError("Chỉ cán bộ Liên hiệp hội xem được nhật ký gửi thư.");
}

/** The demo outbox pages. @throws ForbiddenError forbidden */
export function requireOutboxReader(actor: Actor): void {
  if (!isStaff(actor)) throw new ForbiddenError("Chỉ cán bộ Liên hiệp hội xem được hộp thư đi.");
}

/** Sending a failed message again from the delivery log is for staff too. @throws ForbiddenError forbidden */
export function requireMailRetrier(actor: Actor): void {
  if (!isStaff(actor)) throw new ForbiddenError("Chỉ cán bộ Liên hiệp hội được gửi lại thư.");
}
