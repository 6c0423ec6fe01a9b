/**
 * Pure rules about the items of an annual plan, used by the machine's guards and assignments:
 * what a valid proposal is, what a decision does to each item, which items are due or late in a
 * quarter, and the calendar of quarters.
 */
import type { AnnualPlanContext, ChangedTerms, ItemContent, ItemStatus, PlanItem, Proposer, Quarter } from "./types.js";

const TYPES = ["consultancy", "critique", "assessment"];
const FORMS = ["council", "expert_group", "workshop", "written"];

const text = (v: unknown) => typeof v === "string" && v.trim().length > 0;
const isQuarter = (v: unknown): v is Quarter => v === 1 || v === 2 || v === 3 || v === 4;
const isCost = (v: unknown) => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
const validForms = (v: unknown) =>
  Array.isArray(v) && v.length > 0 && v.every((f) => FORMS.includes(f as string)) && new Set(v).size === v.length;

/** A proposer is an agency or association with its id, or the Union itself without one. */
export function proposerValid(p: Proposer | undefined): boolean {
  if (!p) return false;
  if (p.kind === "union") return p.id === null || p.id === undefined;
  return (p.kind === "agency" || p.kind === "association") && text(p.id);
}

/** Every field of a proposal: title, type, forms, quarter, rationale and a whole-đồng cost. */
export function contentValid(c: ItemContent | undefined): boolean {
  if (!c) return false;
  return (
    text(c.title) &&
    TYPES.includes(c.type) &&
    validForms(c.forms) &&
    isQuarter(c.quarter) &&
    text(c.rationale) &&
    isCost(c.estimatedCost)
  );
}

/** A partial change: at least one field, each one valid. */
export function partialContentValid(c: Partial<ItemContent> | undefined): boolean {
  if (!c || Object.keys(c).length === 0) return false;
  const checks: Record<string, (v: unknown) => boolean> = {
    title: text,
    type: (v) => TYPES.includes(v as string),
    forms: validForms,
    quarter: isQuarter,
    rationale: text,
    estimatedCost: isCost,
    orderingAgencyId: (v) => v === null || text(v),
    draftingAgency: (v) => v === null || text(v),
    subjectKind: (v) => v === null || text(v),
  };
  return Object.entries(c).every(([key, value]) => checks[key]?.(value) ?? false);
}

export const findItem = (ctx: AnnualPlanContext, itemId: string) => ctx.items.find((i) => i.itemId === itemId);

export const hasStatus = (ctx: AnnualPlanContext, itemId: string, ...statuses: ItemStatus[]) => {
  const item = findItem(ctx, itemId);
  return !!item && statuses.includes(item.status);
};

/** Replaces the named items through `change`, leaving the others as they are. */
export function updateItems(
  items: PlanItem[],
  ids: readonly string[],
  change: (item: PlanItem) => Partial<PlanItem>,
): PlanItem[] {
  const set = new Set(ids);
  return items.map((i) => (set.has(i.itemId) ? { ...i, ...change(i) } : i));
}

/** The items a submission of the current draft carries: new proposals and pending changes. */
export function submissionItems(ctx: AnnualPlanContext): PlanItem[] {
  if (ctx.draft?.kind === "amendment") return ctx.items.filter((i) => i.pending !== null);
  return ctx.items.filter((i) => i.status === "proposed");
}

/** The ranked proposals first by rank, the rest (pending changes and cuts) after them in order. */
export function submissionOrder(ctx: AnnualPlanContext): string[] {
  const items = submissionItems(ctx);
  const ranked = items.filter((i) => i.rank !== null).sort((a, b) => a.rank! - b.rank!);
  return [...ranked, ...items.filter((i) => i.rank === null)].map((i) => i.itemId);
}

type Decision = { cut?: string[]; changed?: ChangedTerms[]; kept?: string[] };

/**
 * A decision may cut items it was sent (not those already started), change any of them, and keep
 * as they were the approved items an amendment proposed to change or cut; no item twice.
 */
export function decisionValid(ctx: AnnualPlanContext, d: Decision): boolean {
  const sent = new Map(submissionItems(ctx).map((i) => [i.itemId, i]));
  const cut = d.cut ?? [];
  const changed = (d.changed ?? []).map((c) => c.itemId);
  const kept = d.kept ?? [];
  const all = [...cut, ...changed, ...kept];
  if (new Set(all).size !== all.length || !all.every((id) => sent.has(id))) return false;
  if (cut.some((id) => sent.get(id)!.status === "started")) return false;
  if (kept.some((id) => sent.get(id)!.pending?.kind === "add" || !sent.get(id)!.pending)) return false;
  return (d.changed ?? []).every((c) => c.quarter === undefined || isQuarter(c.quarter));
}

/** What a decision does to one item it was sent. */
function decidedItem(item: PlanItem, d: Decision): Partial<PlanItem> {
  const terms = d.changed?.find((c) => c.itemId === item.itemId);
  const cleared = { pending: null, rank: null };
  if (d.cut?.includes(item.itemId)) return { ...cleared, status: "cut" };
  if (d.kept?.includes(item.itemId)) return cleared;
  const quarter = terms?.quarter ?? item.pending?.quarter ?? item.quarter;
  const kind = item.pending?.kind ?? "add";
  if (kind === "cut" && !terms) return { ...cleared, status: "cut" };
  if (kind === "add" && !terms) return { ...cleared, status: "approved", quarter };
  // A change accepted, by the amendment or by the decision itself.
  return { ...cleared, status: item.status === "started" ? "started" : "changed", quarter };
}

/** The items after the province's decision on the current draft. */
export function applyDecision(ctx: AnnualPlanContext, d: Decision): PlanItem[] {
  const sent = new Set(submissionItems(ctx).map((i) => i.itemId));
  return ctx.items.map((i) => (sent.has(i.itemId) ? { ...i, ...decidedItem(i, d) } : i));
}

/** Items planned for quarter `q` that have not started. */
export function itemsDueIn(ctx: AnnualPlanContext, q: number): string[] {
  return ctx.items
    .filter((i) => (i.status === "approved" || i.status === "changed") && i.quarter === q)
    .map((i) => i.itemId);
}

/** Items planned for quarter `q` or earlier that have still not started. */
export function itemsNotStartedBy(ctx: AnnualPlanContext, q: number): string[] {
  return ctx.items
    .filter((i) => (i.status === "approved" || i.status === "changed") && i.quarter <= q)
    .map((i) => i.itemId);
}

/** Approved, changed and started items: what is carried over if the year closes before they are done. */
export function unfinishedItems(ctx: AnnualPlanContext): string[] {
  return ctx.items.filter((i) => ["approved", "changed", "started"].includes(i.status)).map((i) => i.itemId);
}

const pad = (n: number) => String(n).padStart(2, "0");

/** First and last day of a quarter of `year` (`YYYY-MM-DD`). */
export function quarterDays(year: number, q: Quarter): { start: string; end: string } {
  const firstMonth = (q - 1) * 3 + 1;
  const lastMonth = firstMonth + 2;
  const lastDay = new Date(Date.UTC(year, lastMonth, 0)).getUTCDate();
  return { start: `${year}-${pad(firstMonth)}-01`, end: `${year}-${pad(lastMonth)}-${pad(lastDay)}` };
}

/** A `YYYY-MM-DD` string naming a real calendar day. */
export function isCalendarDay(value: unknown): boolean {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** `quarterStart:2` → { edge: "start", quarter: 2 }; anything else → null. */
export function quarterKey(key: string): { edge: "start" | "end"; quarter: Quarter } | null {
  const m = /^quarter(Start|End):([1-4])$/.exec(key);
  return m ? { edge: m[1] === "Start" ? "start" : "end", quarter: Number(m[2]) as Quarter } : null;
}
