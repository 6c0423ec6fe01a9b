// Preloaded into benchmark TVPB processes when BENCH_CPU_PROF names a folder (NODE_OPTIONS=--import …;
// Node 20 refuses --cpu-prof there): profiles the process's main thread from its start and writes
// `<folder>/tvpb-<pid>.cpuprofile` (Chrome DevTools format) when it is told to stop (SIGTERM; its
// graceful stop may outlast the benchmark's patience) or exits.
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import path from "node:path";

const dir = process.env.BENCH_CPU_PROF;
if (dir) {
  const session = new Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 1000 });
  session.post("Profiler.start");
  // The inspector session answers synchronously on this thread, so this works in an exit handler.
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    session.post("Profiler.stop", (err, result) => {
      if (!err) writeFileSync(path.join(dir, `tvpb-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  };
  process.on("SIGTERM", write);
  process.on("exit", write);
}
