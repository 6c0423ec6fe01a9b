/**
 * The annual plan's forms as the commands' JSON input (the same zod schemas as the API check
 * them): a proposal's content, a plan event, the ranking, the province's decision, a new year,
 * starting an item. Empty optional fields are left out; an amount is whole đồng typed the
 * Vietnamese way ("45.000.000").
 */
import { str } from "./fields.js";

const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(str) : [str(v)]);
const opt = (v: unknown) => str(v).trim() || undefined;

/** "45.000.000", "45 000 000 đ" → 45000000; anything else stays as typed (the schema refuses it). */
export function readAmount(v: unknown): unknown {
  const s = str(v)
    .trim()
    .replace(/\s*(đồng|đ|vnđ|vnd)$/iu, "")
    .trim();
  if (/^\d{1,3}([.\s\u00a0]\d{3})+$|^\d+$/u.test(s)) return Number(s.replace(/[.\s\u00a0]/gu, ""));
  return s;
}

/** A proposal's content; `partial` (an edit) leaves out what was left empty. */
export function readContent(b: Record<string, unknown>, partial = false) {
  const c: Record<string, unknown> = {
    title: str(b.title).trim(),
    type: str(b.taskType),
    forms: list(b.forms),
    quarter: str(b.quarter) ? Number(str(b.quarter)) : "",
    rationale: str(b.rationale).trim(),
    estimatedCost: str(b.estimatedCost).trim() ? readAmount(b.estimatedCost) : "",
    draftingAgency: opt(b.draftingAgency) ?? null,
  };
  if (!partial) return c;
  return Object.fromEntries(
    Object.entries(c).filter(([, v]) => v !== "" && v !== null && !(Array.isArray(v) && !v.length)),
  );
}

const TEXTS = ["note", "reason", "comments", "letterNumber"];

/** One plan event from its form; item events carry the item (and an edit its content). */
export function readPlanEvent(type: string, b: Record<string, unknown>, itemId?: string) {
  const e: Record<string, unknown> = { type };
  for (const k of TEXTS) if (opt(b[k])) e[k] = opt(b[k]);
  if (type === "items.merge") return { ...e, intoItemId: str(b.intoItemId), itemIds: itemId ? [itemId] : [] };
  if (itemId) e.itemId = itemId;
  if (type === "item.edit" || type === "item.change") e.content = readContent(b, true);
  return e;
}

/** The ranking: the items ordered by the positions typed beside them (`pos_<itemId>`). */
export function readRank(b: Record<string, unknown>) {
  const order = Object.keys(b)
    .filter((k) => k.startsWith("pos_"))
    .map((k) => ({ id: k.slice(4), pos: Number(str(b[k])) || 9999 }))
    .sort((x, y) => x.pos - y.pos)
    .map((x) => x.id);
  return { type: "items.rank", order };
}

/** The province's decision: number, date, issuer and each item sent as approved, cut or changed. */
export function readDecision(b: Record<string, unknown>) {
  const cut: string[] = [];
  const changed: Array<Record<string, unknown>> = [];
  for (const key of Object.keys(b).filter((k) => k.startsWith("outcome_"))) {
    const itemId = key.slice(8);
    if (str(b[key]) === "cut") cut.push(itemId);
    if (str(b[key]) !== "changed") continue;
    const terms: Record<string, unknown> = { itemId };
    if (str(b[`cost_${itemId}`]).trim()) terms.estimatedCost = readAmount(b[`cost_${itemId}`]);
    if (str(b[`quarter_${itemId}`])) terms.quarter = Number(str(b[`quarter_${itemId}`]));
    changed.push(terms);
  }
  return {
    number: str(b.number).trim(),
    date: str(b.date),
    issuer: opt(b.issuer),
    ...(cut.length ? { cut } : {}),
    ...(changed.length ? { changed } : {}),
  };
}

/** A new year's plan. */
export const readCreatePlan = (b: Record<string, unknown>) => ({
  year: str(b.year) ? Number(str(b.year)) : "",
  proposalsDueOn: str(b.proposalsDueOn),
  title: opt(b.planTitle),
});

/** Starting an item as an assignment. */
export const readStart = (b: Record<string, unknown>) => ({
  orderNumber: opt(b.orderNumber),
  orderDate: opt(b.orderDate),
  requestedDeadline: opt(b.requestedDeadline),
  summary: opt(b.summary),
});
