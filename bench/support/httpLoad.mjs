// The HTTP load generator of bench/lib.ts `closedLoopOverHttp`, on a worker thread of its own: as a
// client on another machine would, it keeps its sockets, request building, response parsing and
// garbage off the event loop and heap of the server it measures (which runs on the main thread).
// workerData: { url, clients, durationMs, maxSockets, requests: [{ method, path, token, body, status }] }
// (one request per client, sent again and again). Waits for "go", then posts { latencies
// (Float64Array, ms), elapsedMs, errors, firstError }.
import http from "node:http";
import { parentPort, workerData } from "node:worker_threads";

const { url, clients, durationMs, maxSockets, requests } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets });
const u = new URL(url);

function send({ method, path, token, body, status }) {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        path,
        method,
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          accept: "application/json",
          ...(payload ? { "content-type": "application/json", "content-length": payload.length } : {}),
        },
      },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          if (res.statusCode === status) return resolve();
          const text = Buffer.concat(chunks).toString("utf8").slice(0, 300);
          reject(new Error(`${method} ${path}: ${res.statusCode} ${text}`));
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

parentPort.once("message", async () => {
  const latencies = [];
  let errors = 0;
  let firstError;
  const started = performance.now();
  const until = started + durationMs;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      while (performance.now() < until && errors <= 20) {
        const t = performance.now();
        try {
          await send(requests[c]);
          latencies.push(performance.now() - t);
        } catch (err) {
          errors++;
          firstError ??= String(err);
        }
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  agent.destroy();
  const out = Float64Array.from(latencies);
  parentPort.postMessage({ latencies: out, elapsedMs, errors, firstError }, [out.buffer]);
});
parentPort.postMessage("ready");
