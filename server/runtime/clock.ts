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
 * Where the installation keeps its clock offset so that every process sees the same time: the
 * database (server/runtime/clockStore.ts). Offsets only grow.
 */
export interface ClockOffsetStore {
  /** The offset now, in milliseconds (0 when it was never moved). */
  read(): Promise<number>;
  /** Moves it forward by `ms`; returns the new offset. */
  add(ms: number): Promise<number>;
  /** Makes it at least `ms` (TVPB_CLOCK_OFFSET at start); returns the offset. */
  raiseTo(ms: number): Promise<number>;
}

/**
 * The installation's clock, which an administrator may move forward outside production (for
 * demonstrations and checks of what happens as time passes): the base clock plus an offset. Every
 * deadline, reminder, escalation and date line reads it. With a store, the offset is the
 * installation's (shared by every process through the database): `sync()` reads it — each request
 * and a timer in each process call it — and `moveForward` writes it. Without one it lives in this
 * process (tests).
 */
export class MovableClock implements Clock {
  private offset: number;
  /** Whether the offset may change (false in production). */
  readonly movable: boolean;
  private readonly store?: ClockOffsetStore;
  /** How long a read of the store serves requests (`syncFresh`); 0: every request reads. */
  private readonly freshMs: number;
  private readAt = Number.NEGATIVE_INFINITY;
  private reading: Promise<void> | null = null;
  constructor(
    private readonly base: Clock,
    opts: { offsetMs?: number; movable: boolean; store?: ClockOffsetStore; freshMs?: number },
  ) {
    this.offset = opts.offsetMs ?? 0;
    this.movable = opts.movable;
    this.store = opts.movable ? opts.store : undefined;
    this.freshMs = opts.freshMs ?? 0;
  }
  now() {
    return new Date(this.base.now().getTime() + this.offset);
  }
  /** How far ahead of the real time it runs, in milliseconds. */
  get offsetMs() {
    return this.offset;
  }
  /** Reads the installation's offset from the store (nothing to read without one, or in production). */
  async sync(): Promise<void> {
    if (!this.store) return;
    this.readAt = performance.now();
    this.offset = await this.store.read();
  }
  /**
   * What each request calls: reads the store unless a read started less than `freshMs` ago (a move
   * made by another process is then seen within that time), and concurrent requests share one read.
   */
  syncFresh(): Promise<void> {
    if (this.isFresh()) return Promise.resolve();
    this.reading ??= this.sync().finally(() => (this.reading = null));
    return this.reading;
  }
  /** Whether `syncFresh` would read nothing now (no store, or read less than `freshMs` ago). */
  isFresh(): boolean {
    return !this.store || performance.now() - this.readAt < this.freshMs;
  }
  /** At start: the installation's offset, raised to this process's TVPB_CLOCK_OFFSET when that is ahead. */
  async start(): Promise<void> {
    if (this.store) this.offset = await this.store.raiseTo(this.offset);
  }
  /** Moves it forward (only when movable; the caller checks and says why not), for every process. */
  async moveForward(ms: number): Promise<void> {
    if (!this.movable || !(ms > 0)) throw new Error("clock not movable or not forward");
    this.offset = this.store ? await this.store.add(ms) : this.offset + ms;
    this.readAt = performance.now();
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
