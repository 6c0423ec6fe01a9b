/**
 * The benchmarks' HTTP client: keep-alive sockets, a Bearer token, JSON bodies, no parsing of the
 * answer unless asked. Its own module (only `node:http`), so the load generator's worker thread
 * (`httpLoad.ts`) loads it without the server's code.
 */
import http from "node:http";

export function httpClient(baseUrl: string, maxSockets = 32) {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const u = new URL(baseUrl);
  function request(
    method: string,
    p: string,
    token: string,
    body?: unknown,
  ): Promise<{ status: number; body: string }> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: u.hostname,
          port: u.port,
          path: p,
          method,
          agent,
          headers: {
            authorization: `Bearer ${token}`,
            accept: "application/json",
            ...(payload ? { "content-type": "application/json", "content-length": payload.length } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(payload);
    });
  }
  /** GETs are retried once on a reset: a keep-alive socket the server timed out while idle. */
  async function send(method: string, p: string, token: string, body?: unknown) {
    try {
      return await request(method, p, token, body);
    } catch (err) {
      if (method !== "GET" || (err as NodeJS.ErrnoException).code !== "ECONNRESET") throw err;
      return request(method, p, token, body);
    }
  }
  return {
    request: send,
    async expect(method: string, p: string, token: string, body?: unknown, status = 200) {
      const res = await send(method, p, token, body);
      if (res.status !== status) throw new Error(`${method} ${p}: ${res.status} ${res.body.slice(0, 300)}`);
      return res.body;
    },
    close: () => agent.destroy(),
  };
}
