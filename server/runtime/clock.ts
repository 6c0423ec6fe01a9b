/** Time is injected: tests move it, production reads the system clock. */
export type Clock = { now(): Date };

/** The real clock. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock tests can set and advance. */
export class ManualClock implements Clock {
  private t: number;
  constructor(start: Date | string = "2026-03-02T01:00:00Z") {
    this.t = new Date(start).getTime();
  }
  now() {
    return new Date(this.t);
  }
  set(d: Date | string) {
    this.t = new Date(d).getTime();
  }
  advance(ms: number) {
    this.t += ms;
  }
  advanceDays(days: number) {
    this.t += days * 86_400_000;
  }
}

/**
 * The installation's clock, which an administrator may move forward outside production (for
 * demonstrations and checks of what happens as time passes): the base clock plus an offset. Every
 * deadline, reminder, escalation and date line reads it; the offset lives in this process until it
 * stops (TVPB_CLOCK_OFFSET sets it at start).
 */
export class MovableClock implements Clock {
  private offset: number;
  /** Whether the offset may change (false in production). */
  readonly movable: boolean;
  constructor(
    private readonly base: Clock,
    opts: { offsetMs?: number; movable: boolean },
  ) {
    this.offset = opts.offsetMs ?? 0;
    this.movable = opts.movable;
  }
  now() {
    return new Date(this.base.now().getTime() + this.offset);
  }
  /** How far ahead of the real time it runs, in milliseconds. */
  get offsetMs() {
    return this.offset;
  }
  /** Moves it forward (only when movable; the caller checks and says why not). */
  moveForward(ms: number) {
    if (!this.movable || !(ms > 0)) throw new Error("clock not movable or not forward");
    this.offset += ms;
  }
}

const UNIT_MS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000 };

/**
 * A clock offset written as days, hours and minutes ("3d", "12h", "1d6h", "90m") or a number of
 * hours ("36"), in milliseconds; null when it cannot be read or is not forward (at most 5 years).
 */
export function parseClockOffset(text: string): number | null {
  const s = text.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) > 0 ? Math.round(Number(s) * UNIT_MS.h) : null;
  if (!/^(\d+[dhm])+$/.test(s)) return null;
  let ms = 0;
  for (const [, n, unit] of s.matchAll(/(\d+)([dhm])/g)) ms += Number(n) * UNIT_MS[unit];
  return ms > 0 && ms <= 5 * 366 * UNIT_MS.d ? ms : null;
}
