// Preloaded into benchmark TVPB processes (NODE_OPTIONS=--import …): every 2 s, prints the event
// loop's delay (p99 and max, ms) on stderr as `@@loop {…}`; SIGUSR2 starts the measurement afresh.
import { monitorEventLoopDelay } from "node:perf_hooks";

const h = monitorEventLoopDelay({ resolution: 10 });
h.enable();
process.on("SIGUSR2", () => h.reset());
setInterval(() => {
  const line = { p99: h.percentile(99) / 1e6, max: h.max / 1e6 };
  process.stderr.write(`@@loop ${JSON.stringify(line)}\n`);
}, 2000).unref();
