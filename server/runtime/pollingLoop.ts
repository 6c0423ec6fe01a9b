/**
 * The loop both workers share: run a batch; go again at once while batches come back full,
 * otherwise wait `pollMs`; `kick()` looks at once (after a commit); `drain()` runs until nothing is
 * left (tests: "all settled", never sleep); `stop()` waits for the batch in flight.
 *
 * A failing batch (the database restarting, say) never stops the loop: it waits longer after each
 * failure in a row (pollMs, 2×, 4× … at most `maxBackoffMs`) and goes back to `pollMs` after the
 * first batch that succeeds. The first failure of a run is logged as an error, the ones after it
 * quietly, and the recovery once.
 */
type Logger = { error: (o: object, m?: string) => void; info?: (o: object, m?: string) => void };

/** Longest wait between failing batches by default: a database back from a restart is seen within it. */
export const MAX_BACKOFF_MS = 5_000;

/** The wait before the next batch after `failures` failing batches in a row. */
export function pollDelay(pollMs: number, failures: number, maxBackoffMs = MAX_BACKOFF_MS): number {
  if (failures <= 0) return pollMs;
  return Math.max(pollMs, Math.min(maxBackoffMs, pollMs * 2 ** (failures - 1)));
}

type LoopOptions = {
  name: string;
  runOnce: () => Promise<number>;
  isFull: (n: number) => boolean;
  logger: Logger;
  maxBackoffMs?: number;
};

/**
 * Runs one batch at a time and counts failing batches in a row: `run` resolves to how many items
 * the batch handled, or -1 when it failed (logged once per run of failures).
 */
function createAttempts(opts: LoopOptions) {
  let failures = 0;
  return {
    failures: () => failures,
    async run(): Promise<number> {
      try {
        const n = await opts.runOnce();
        if (failures) opts.logger.info?.({ event: `${opts.name}.resumed`, after: failures }, `${opts.name} resumed`);
        failures = 0;
        return n;
      } catch (err) {
        if (!failures++)
          opts.logger.error({ event: `${opts.name}.failed`, err: String(err) }, `${opts.name} batch failed`);
        return -1;
      }
    },
  };
}

/** Builds the loop around `runOnce` (returns how many items it handled; `isFull` says whether to go again). */
export function createPollingLoop(opts: LoopOptions) {
  const attempts = createAttempts(opts);
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;
  let stopped = true;
  let again = false;
  let pollMs = 1000;

  function schedule(ms: number) {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      running = attempts.run().finally(() => {
        running = null;
      });
      void running.then((n) => {
        const more = n >= 0 && (opts.isFull(n) || again);
        again = false;
        schedule(more ? 0 : pollDelay(pollMs, attempts.failures(), opts.maxBackoffMs));
      });
    }, ms);
  }

  return {
    /** Runs batches until one comes back not full; returns how many items were handled. */
    async drain(): Promise<number> {
      let total = 0;
      for (;;) {
        if (running) await running;
        const n = await opts.runOnce();
        total += n;
        if (!opts.isFull(n)) return total;
      }
    },
    start(ms = 1000) {
      pollMs = ms;
      stopped = false;
      schedule(0);
    },
    /** Looks for work at once (or right after the batch in flight); a failing loop keeps its backoff. */
    kick() {
      if (stopped || attempts.failures()) return;
      if (running) again = true;
      else schedule(0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      if (running) await running;
    },
  };
}
