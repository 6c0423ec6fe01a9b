/** The new-order form as the order's JSON input (CreateOrderSchema checks it); empty fields are left out. */
import { str } from "./fields.js";

/** The order input, and the chosen forms as typed (to show them again). */
export function readOrderForm(b: Record<string, unknown>) {
  const forms = b.forms === undefined ? [] : Array.isArray(b.forms) ? (b.forms as unknown[]) : [b.forms];
  const input: Record<string, unknown> = {
    type: str(b.type),
    forms,
    subjectKind: str(b.subjectKind),
    title: str(b.title).trim(),
    summary: str(b.summary).trim() || undefined,
    draftingAgency: str(b.draftingAgency).trim() || undefined,
    orderNumber: str(b.orderNumber).trim() || undefined,
    orderDate: str(b.orderDate) || undefined,
    requestedDeadline: str(b.requestedDeadline) || undefined,
    budget: str(b.budget).trim() ? Number(str(b.budget).replace(/[.\s,]/g, "")) : undefined,
    confidential: b.confidential === "on" ? true : undefined,
    urgency: str(b.urgency) || undefined,
    agencyId: str(b.agencyId) || undefined,
  };
  if (str(b.origin)) input.origin = str(b.origin);
  return { input, forms };
}
