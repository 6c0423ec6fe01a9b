/**
 * The HTTP load generator of bench/lib.ts `httpLoadGenerator`, on a worker thread of its own: as a
 * client on another machine would, it keeps its sockets, request building, response parsing and
 * garbage off the event loop and heap of the server it measures (which runs on the main thread).
 * Posts "ready" once; then each `LoadWork` message is one closed-loop run (one request per client,
 * sent again and again, on a fresh keep-alive pool), answered by a `LoadResult`. The worker stays
 * for the benchmark's rounds, so its code is as warm as the server's.
 */
import { parentPort } from "node:worker_threads";
import { httpClient } from "./httpClient.js";

export type LoadWork = {
  url: string;
  durationMs: number;
  maxSockets: number;
  requests: Array<{ method: string; path: string; token: string; body?: unknown; status: number }>;
};
export type LoadResult = { latencies: Float64Array; elapsedMs: number; errors: number; firstError?: string };

const port = parentPort!;

async function run(work: LoadWork): Promise<LoadResult> {
  const http = httpClient(work.url, work.maxSockets);
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const until = started + work.durationMs;
  await Promise.all(
    work.requests.map(async ({ method, path, token, body, status }) => {
      while (performance.now() < until && errors <= 20) {
        const t = performance.now();
        try {
          await http.expect(method, path, token, body, status);
          latencies.push(performance.now() - t);
        } catch (err) {
          errors++;
          firstError ??= String(err);
        }
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  http.close();
  return { latencies: Float64Array.from(latencies), elapsedMs, errors, firstError };
}

port.on("message", (work: LoadWork) => {
  void run(work).then((result) => port.postMessage(result, [result.latencies.buffer as ArrayBuffer]));
});
port.postMessage("ready");
