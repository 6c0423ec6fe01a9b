/** Where the registers page starts each register: `in`, `out` (cursors), `inFrom`, `outFrom` (row numbers). */
import { str } from "./fields.js";

/** A register page's position as read from the query string; anything malformed means "from the start". */
export type RegisterPosition = {
  incoming: { createdAt: string; id: string } | null;
  outgoing: { register: string; number: number } | null;
  inFrom: number;
  outFrom: number;
};

/** Reads a base64url JSON cursor, or null. */
function cursorOf(text: string): unknown {
  if (!/^[A-Za-z0-9_-]{1,600}$/.test(text)) return null;
  try {
    return JSON.parse(Buffer.from(text, "base64url").toString("utf8")) as unknown;
  } catch {
    return null;
  }
}

/** The cursors of both registers and the row numbers their pages start at. */
export function readRegisterCursors(q: Record<string, unknown>): RegisterPosition {
  const i = cursorOf(str(q.in)) as { createdAt?: unknown; id?: unknown } | null;
  const o = cursorOf(str(q.out)) as { register?: unknown; number?: unknown } | null;
  const incoming =
    i && typeof i.createdAt === "string" && !Number.isNaN(Date.parse(i.createdAt)) && typeof i.id === "string"
      ? { createdAt: i.createdAt, id: i.id }
      : null;
  const outgoing =
    o && typeof o.register === "string" && Number.isInteger(o.number)
      ? { register: o.register, number: o.number as number }
      : null;
  const n = (v: unknown) => Math.max(1, Math.floor(Number(str(v))) || 1);
  return { incoming, outgoing, inFrom: incoming ? n(q.inFrom) : 1, outFrom: outgoing ? n(q.outFrom) : 1 };
}
