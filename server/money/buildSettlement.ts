/**
 * The settlement of one assignment (bảng kê chi thù lao chuyên gia): one line per expert paid, what
 * for, the gross amount, the tax withheld and the net each one signs for; totals. Pure, over the
 * payment records (reversals included, so a corrected payment counts once).
 */
import { ValidationError } from "../errors.js";
import { sumDong } from "./dong.js";
import type { Payment } from "./types.js";

/** An expert as the statement names them, in the order of the panel. */
export type SettlementPerson = { expertId: string; name: string; role?: string | null; workplace?: string | null };

export type SettlementRow = {
  no: number;
  expertId: string;
  name: string;
  role: string | null;
  workplace: string | null;
  /** What was paid for, one entry per description, net of reversals. */
  items: Array<{ description: string; amount: number }>;
  gross: number;
  tax: number;
  net: number;
  vouchers: string[];
};

export type Settlement = {
  rows: SettlementRow[];
  totals: { gross: number; tax: number; net: number };
  vouchers: string[];
};

/** Sums per description; a reversal counts under the description of the payment it reverses. */
function byDescription(payments: Payment[]): Array<{ description: string; amount: number }> {
  const sums = new Map<string, number[]>();
  for (const p of payments) {
    const description = payments.find((o) => o.id === p.reversesId)?.description ?? p.description;
    sums.set(description, [...(sums.get(description) ?? []), p.amount]);
  }
  return [...sums]
    .map(([description, amounts]) => ({ description, amount: sumDong(amounts) }))
    .filter((i) => i.amount !== 0);
}

/**
 * The settlement statement of the assignment's payments to experts. Experts on `panel` come first in
 * its order, others (e.g. a workshop speaker) after them by name; experts whose payments were all
 * reversed are left out.
 * @throws ValidationError `invalid_amount` for a malformed amount; `payment_other_assignment` when
 *   a payment belongs to another assignment.
 */
export function buildSettlement(input: {
  assignmentId: string;
  payments: readonly Payment[];
  panel: readonly SettlementPerson[];
}): Settlement {
  const mine = input.payments.filter((p) => p.payee.kind === "expert" && p.payee.expertId);
  if (mine.some((p) => p.assignmentId !== input.assignmentId)) {
    throw new ValidationError("payment_other_assignment", "Có khoản chi không thuộc nhiệm vụ này.", "payments");
  }
  const byExpert = new Map<string, Payment[]>();
  for (const p of mine) byExpert.set(p.payee.expertId!, [...(byExpert.get(p.payee.expertId!) ?? []), p]);
  const order = (id: string) => {
    const at = input.panel.findIndex((m) => m.expertId === id);
    return at < 0 ? input.panel.length : at;
  };
  const ids = [...byExpert.keys()].sort(
    (a, b) => order(a) - order(b) || byExpert.get(a)![0].payee.name.localeCompare(byExpert.get(b)![0].payee.name, "vi"),
  );
  const rows: SettlementRow[] = [];
  for (const expertId of ids) {
    const payments = byExpert.get(expertId)!;
    const gross = sumDong(payments.map((p) => p.amount));
    if (gross === 0) continue;
    const tax = sumDong(payments.map((p) => p.taxWithheld));
    const person = input.panel.find((m) => m.expertId === expertId);
    rows.push({
      no: rows.length + 1,
      expertId,
      name: person?.name ?? payments[0].payee.name,
      role: person?.role ?? null,
      workplace: person?.workplace ?? null,
      items: byDescription(payments),
      gross,
      tax,
      net: sumDong([gross, -tax]),
      vouchers: [...new Set(payments.map((p) => p.voucherNumber))],
    });
  }
  const totals = {
    gross: sumDong(rows.map((r) => r.gross)),
    tax: sumDong(rows.map((r) => r.tax)),
    net: sumDong(rows.map((r) => r.net)),
  };
  return { rows, totals, vouchers: [...new Set(rows.flatMap((r) => r.vouchers))] };
}
