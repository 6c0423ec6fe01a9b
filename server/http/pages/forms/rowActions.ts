/**
 * The editors' row buttons when JavaScript is off: a button `name="action"` says what to do with
 * one repeated field of the form — `add:<list>`, `remove:<row>`, `up:<row>`, `down:<row>` — where
 * `<list>` is a field name such as `specific[1][paragraphs]` and `<row>` the same with the row's
 * index (`specific[1][paragraphs][2]`). The change is made on the posted body, so the form is then
 * read as if it had been typed that way (public/app.js does the same in the page when it can).
 */
import { listOf } from "./formLists.js";
import { str } from "./fields.js";

/** What a row button asks. */
export type RowAction = { op: "add" | "remove" | "up" | "down"; path: Array<string | number> };

const ACTION = /^(add|remove|up|down):([a-z]+(?:\[[a-z0-9]+\]){0,6})$/i;

/** The path of a field name: `a[1][b]` → ["a", 1, "b"]. */
function pathOf(name: string): Array<string | number> {
  return name
    .replace(/\]/g, "")
    .split("[")
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/**
 * The row action a button asked for, when it names one of `roots` (the form's repeated fields)
 * with a path that alternates field and index; else null (a plain save or another action).
 */
export function readRowAction(action: unknown, roots: readonly string[]): RowAction | null {
  const m = ACTION.exec(str(action));
  if (!m) return null;
  const path = pathOf(m[2]);
  const shapeOk = path.every((p, i) => (i % 2 === 0 ? typeof p === "string" : typeof p === "number"));
  const rowOp = m[1] !== "add";
  if (!shapeOk || !roots.includes(String(path[0])) || (path.length % 2 === 0) !== rowOp) return null;
  return { op: m[1] as RowAction["op"], path };
}

/** The list held in `holder[key]`, made an array in place (the body parser may give an object). */
function arrayAt(holder: Record<string, unknown>, key: string): unknown[] {
  const list = listOf(holder[key]);
  holder[key] = list;
  return list;
}

/** The list a path of odd length names (field, index, field, …), or null when a row is missing. */
function listAt(body: Record<string, unknown>, path: Array<string | number>): unknown[] | null {
  let holder = body;
  for (let i = 0; i < path.length - 1; i += 2) {
    const row = arrayAt(holder, String(path[i]))[Number(path[i + 1])];
    if (!row || typeof row !== "object") return null;
    holder = row as Record<string, unknown>;
  }
  return arrayAt(holder, String(path[path.length - 1]));
}

/**
 * The body with the action applied (a copy; the posted body is left as it was): a blank row added
 * at the end, or the row removed or moved one place. A path that names nothing changes nothing.
 */
export function applyRowAction(body: Record<string, unknown>, action: RowAction): Record<string, unknown> {
  const copy = structuredClone(body);
  const rowOp = action.op !== "add";
  const list = listAt(copy, rowOp ? action.path.slice(0, -1) : action.path);
  if (!list) return copy;
  const i = Number(action.path[action.path.length - 1]);
  const swap = (a: number, b: number) => ([list[a], list[b]] = [list[b], list[a]]);
  if (action.op === "add") list.push({});
  else if (i >= list.length) return copy;
  else if (action.op === "remove") list.splice(i, 1);
  else if (action.op === "up" && i > 0) swap(i - 1, i);
  else if (action.op === "down" && i < list.length - 1) swap(i, i + 1);
  return copy;
}

/**
 * The body with `row` at the end of the list `listName` (one of `roots`, e.g. `specific[0][paragraphs]`),
 * in place of a last row left blank (one whose fields are all empty); unchanged when the list is unknown.
 */
export function appendRow(
  body: Record<string, unknown>,
  listName: string,
  roots: readonly string[],
  row: Record<string, string>,
): Record<string, unknown> {
  const action = readRowAction(`add:${listName}`, roots);
  const copy = structuredClone(body);
  const list = action && listAt(copy, action.path);
  if (!list) return copy;
  const last = list[list.length - 1] as Record<string, unknown> | undefined;
  const blank = last && typeof last === "object" && Object.values(last).every((v) => !str(v).trim());
  if (blank) list[list.length - 1] = row;
  else list.push(row);
  return copy;
}
