/**
 * The loop both workers share: run a batch; go again at once while batches come back full,
 * otherwise wait `pollMs`; `kick()` looks at once (after a commit); `drain()` runs until nothing is
 * left (tests: "all settled", never sleep); `stop()` waits for the batch in flight.
 */
type Logger = { error: (o: object, m?: string) => void };

export function createPollingLoop(opts: {
  name: string;
  runOnce: () => Promise<number>;
  isFull: (n: number) => boolean;
  logger: Logger;
}) {
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
      running = opts
        .runOnce()
        .catch((err) => {
          opts.logger.error({ event: `${opts.name}.failed`, err: String(err) }, `${opts.name} batch failed`);
          return 0;
        })
        .finally(() => {
          running = null;
        });
      void running.then((n) => {
        const more = opts.isFull(n) || again;
        again = false;
        schedule(more ? 0 : pollMs);
      });
    }, ms);
  }

  return {
    /** Runs batches until one comes back not full; returns how many items were handled. */
    async drain(): Promise<number> {
      let total = 0;
      for (;;) {
        if (running) await running.catch(() => 0);
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
    /** Looks for work at once (or right after the batch in flight). */
    kick() {
      if (stopped) return;
      if (running) again = true;
      else schedule(0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      if (running) await running.catch(() => 0);
    },
  };
}
