/**
 * The HTTP load generator of bench/lib.ts `httpLoadGenerator`, on a worker thread of its own: as a
 * client on another machine would, it keeps its sockets, request building, response parsing and
 * garbage off the event loop and heap of the server it measures (which runs on the main thread).
 * Posts "ready" once; then each `LoadWork` message is one closed-loop run (one request per client,
 * sent again and again, each client on a fresh keep-alive connection of its own: `rawHttp.ts`),
 * answered by a `LoadResult`. The worker stays for the benchmark's rounds, so its code is as warm
 * as the server's.
 */
import { parentPort } from "node:worker_threads";
import { RawConnection, requestBytes } from "./rawHttp.js";

export type LoadWork = {
  url: string;
  durationMs: number;
  requests: Array<{ method: string; path: string; token: string; body?: unknown; status: number }>;
};
export type LoadResult = { latencies: Float64Array; elapsedMs: number; errors: number; firstError?: string };

const port = parentPort!;

async function run(work: LoadWork): Promise<LoadResult> {
  const u = new URL(work.url);
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const connections: RawConnection[] = [];
  const started = performance.now();
  const until = started + work.durationMs;
  await Promise.all(
    work.requests.map(async (request) => {
      const connection = new RawConnection(Number(u.port), u.hostname);
      connections.push(connection);
      const bytes = requestBytes(u.host, request);
      while (performance.now() < until && errors <= 20) {
        const t = performance.now();
        try {
          const answer = await connection.send(bytes);
          if (answer.status !== request.status) {
            throw new Error(
              `${request.method} ${request.path}: ${answer.status} ${answer.body.toString().slice(0, 300)}`,
            );
          }
          latencies.push(performance.now() - t);
        } catch (err) {
          errors++;
          firstError ??= String(err);
        }
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  for (const c of connections) c.close();
  return { latencies: Float64Array.from(latencies), elapsedMs, errors, firstError };
}

port.on("message", (work: LoadWork) => {
  void run(work).then((result) => port.postMessage(result, [result.latencies.buffer as ArrayBuffer]));
});
port.postMessage("ready");
