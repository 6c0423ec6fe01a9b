import { expect } from "chai";
import { ManualClock, MovableClock, type ClockOffsetStore } from "../../server/runtime/clock.js";

/** A store that counts its reads and answers them when told to. */
function countingStore(offsetMs: number) {
  let reads = 0;
  const store: ClockOffsetStore = {
    read: async () => {
      reads++;
      await new Promise((r) => setTimeout(r, 5));
      return offsetMs;
    },
    add: async (ms) => (offsetMs += ms),
    raiseTo: async (ms) => (offsetMs = Math.max(offsetMs, ms)),
  };
  return { store, reads: () => reads, set: (ms: number) => (offsetMs = ms) };
}

describe("runtime/clock: the shared offset read per request", () => {
  it("reads once per freshness window, and concurrent requests share one read", async () => {
    const s = countingStore(3_600_000);
    const clock = new MovableClock(new ManualClock(new Date("2026-12-01T08:00:00Z")), {
      movable: true,
      store: s.store,
      freshMs: 60_000,
    });
    await Promise.all([clock.syncFresh(), clock.syncFresh(), clock.syncFresh()]);
    expect(s.reads()).to.equal(1);
    expect(clock.offsetMs).to.equal(3_600_000);
    s.set(7_200_000); // another process moved it
    await clock.syncFresh();
    expect(s.reads(), "inside the window: no new read").to.equal(1);
    await clock.sync(); // the worker's explicit read always goes to the store
    expect(clock.offsetMs).to.equal(7_200_000);
  });

  it("reads on every request with no freshness window, and never in production", async () => {
    const s = countingStore(60_000);
    const clock = new MovableClock(new ManualClock(new Date("2026-12-01T08:00:00Z")), {
      movable: true,
      store: s.store,
    });
    await clock.syncFresh();
    await clock.syncFresh();
    expect(s.reads()).to.equal(2);
    const fixed = new MovableClock(new ManualClock(new Date("2026-12-01T08:00:00Z")), {
      movable: false,
      store: s.store,
    });
    await fixed.syncFresh();
    expect(s.reads()).to.equal(2);
    expect(fixed.offsetMs).to.equal(0);
  });
});
