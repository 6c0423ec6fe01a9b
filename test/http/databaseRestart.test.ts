/**
 * A PostgreSQL restart under load, with two real TVPB processes (server/main.ts) on one database of
 * a cluster this test starts itself, and a real SMTP server counting what arrives. While the
 * database is down both processes answer 503 `database_unavailable`; afterwards both are alive,
 * every effect is done exactly once (each Message-ID arrives once) and nothing stays claimed.
 */
import { expect } from "chai";
import http from "node:http";
import { openDatabase } from "../../server/db/connect.js";
import { seedWorld } from "../support/seedWorld.js";
import { createDatabase, startCluster, startTvpbProcess, type TvpbProcess } from "../support/processes.js";
import { startSmtpSink } from "../mail/support/smtpSink.js";
import { orderBody } from "../support/testApp.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Tally = { statuses: Map<number, number>; codes: Map<string, number>; orders: number };

/** One HTTP request on a connection of its own; resolves with the status and the body. */
function send(url: string, method: string, token: string, body?: object) {
  const payload = body ? Buffer.from(JSON.stringify(body)) : undefined;
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(
      url,
      {
        method,
        agent: false,
        headers: {
          authorization: `Bearer ${token}`,
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

/** `clients` loops, each placing and registering orders and listing them, alternating processes, until `until()`. */
async function load(procs: TvpbProcess[], tokens: Record<string, string>, clients: number, until: () => boolean) {
  const tally: Tally = { statuses: new Map(), codes: new Map(), orders: 0 };
  const call = async (base: string, token: string, method: string, path: string, body?: object) => {
    // A new connection per request: a kept-alive socket the server closes as we reuse it is not the server failing.
    const res = await send(`${base}/api/v1${path}`, method, token, body).catch(() => null);
    if (!res) {
      // No answer at all: the process is gone (counted as status 0, which the test refuses).
      tally.statuses.set(0, (tally.statuses.get(0) ?? 0) + 1);
      await sleep(100);
      return { status: 0, json: {} as { data?: { id: string } } };
    }
    const json = (() => {
      try {
        return JSON.parse(res.body) as { data?: { id: string }; error?: { code: string } };
      } catch {
        return {};
      }
    })();
    tally.statuses.set(res.status, (tally.statuses.get(res.status) ?? 0) + 1);
    if (json.error) tally.codes.set(json.error.code, (tally.codes.get(json.error.code) ?? 0) + 1);
    return { status: res.status, json };
  };
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = 0; !until(); i++) {
        const base = procs[(c + i) % procs.length].url;
        const placed = await call(base, tokens.agency, "POST", "/assignments", orderBody({ title: `Đề án ${c}-${i}` }));
        if (placed.status === 201) {
          const reg = await call(base, tokens.clerk, "POST", `/assignments/${placed.json.data!.id}/events`, {
            type: "order.register",
          });
          if (reg.status === 200) tally.orders++;
        } else await sleep(100);
        await call(procs[(c + i + 1) % procs.length].url, tokens.secretariat, "GET", "/assignments?limit=20");
      }
    }),
  );
  return tally;
}

describe("a PostgreSQL restart under load, two TVPB processes", () => {
  it("keeps both processes alive, answers 503 while it is down, and performs every effect exactly once", async function () {
    if (!process.env.DATABASE_URL) this.skip(); // several processes on one database: PostgreSQL only
    this.timeout(900_000);
    const cluster = await startCluster();
    const smtp = await startSmtpSink();
    const procs: TvpbProcess[] = [];
    try {
      const url = await createDatabase(cluster.url, "tvpb_restart_load");
      const setup = await openDatabase({ databaseUrl: url });
      const world = await seedWorld(setup.db);
      await setup.close();
      const env = {
        DATABASE_URL: url,
        SMTP_URL: `${smtp.url}&socketTimeout=10000`,
        WORKER_POLL_MS: "200",
        EFFECT_LEASE_MS: "5000",
        LOG_LEVEL: "warn",
      };
      procs.push(...(await Promise.all([startTvpbProcess(env), startTvpbProcess(env)])));

      let stopLoad = false;
      const running = load(procs, world.tokens, 8, () => stopLoad);
      await sleep(8_000);
      // The restart in two halves, so the test knows when the database is down.
      cluster.stop();
      // Both processes answer, with 503, while it is down (a crashed process would not answer at all).
      const whileDown = await Promise.all(
        procs.map(async (p) => {
          const res = await send(`${p.url}/api/v1/assignments`, "GET", world.tokens.secretariat).catch(() => null);
          return {
            status: res?.status ?? 0,
            code: res && (JSON.parse(res.body) as { error?: { code: string } }).error?.code,
          };
        }),
      );
      await sleep(2_000);
      cluster.start();
      const restartedAt = Date.now();
      await sleep(8_000);
      stopLoad = true;
      const tally = await running;

      expect(whileDown).to.deep.equal([
        { status: 503, code: "database_unavailable" },
        { status: 503, code: "database_unavailable" },
      ]);
      const statuses = [...tally.statuses.keys()].sort();
      expect(
        statuses.filter((s) => ![200, 201, 503].includes(s)),
        JSON.stringify([...tally.codes]),
      ).to.deep.equal([]);
      expect([...tally.codes.keys()].filter((c) => c !== "database_unavailable")).to.deep.equal([]);
      expect(tally.orders, "orders registered around the restart").to.be.greaterThan(4);

      // Every effect is done and nothing stays claimed, well within a lease or two after the restart.
      const check = await openDatabase({ databaseUrl: url, migrate: false });
      try {
        let open = -1;
        for (let i = 0; i < 600 && open !== 0; i++) {
          [{ n: open }] = await check.query<{ n: number }>(
            "select count(*)::int as n from effects where status <> 'done' or locked_by is not null",
          );
          if (open) await sleep(250);
        }
        expect(open, "effects not done (or still claimed)").to.equal(0);
        expect(Date.now() - restartedAt, "everything done within 60 s of the restart").to.be.below(60_000);
        const msgs = await check.query<{ message_id: string; status: string }>(
          "select message_id, status from mail_messages",
        );
        expect(msgs.length).to.be.at.least(tally.orders);
        expect(msgs.filter((m) => m.status !== "sent")).to.deep.equal([]);
        const counts = smtp.counts();
        expect(
          [...counts.entries()].filter(([, n]) => n !== 1),
          "delivered more than once",
        ).to.deep.equal([]);
        expect(new Set(counts.keys())).to.deep.equal(new Set(msgs.map((m) => m.message_id)));
      } finally {
        await check.close();
      }
      for (const p of procs) {
        expect(p.alive(), p.output().slice(-2000)).to.equal(true);
        expect((await fetch(`${p.url}/readyz`)).status).to.equal(200);
        expect(p.output()).not.to.match(/Unhandled 'error' event|uncaughtException|triggerUncaughtException/);
      }
    } finally {
      await Promise.all(procs.map((p) => p.stop()));
      await smtp.close();
      await cluster.remove();
    }
  });
});
