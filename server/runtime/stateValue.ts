/** Flattens an XState state value to a dotted path: { active: { screening: "reviewing" } } → "screening.reviewing". */
export function flattenState(value: unknown): string {
  const parts: string[] = [];
  let v: unknown = value;
  while (v && typeof v === "object") {
    const [k, inner] = Object.entries(v as Record<string, unknown>)[0];
    parts.push(k);
    v = inner;
  }
  if (typeof v === "string") parts.push(v);
  // "active" is structural (it scopes hold/withdraw); users never see it.
  return (parts[0] === "active" ? parts.slice(1) : parts).join(".");
}

/** The top-level stage of a flattened state: "screening.reviewing" → "screening". */
export const stageOf = (state: string) => state.split(".")[0];
