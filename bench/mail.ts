/**
 * Mail: draining 1,000 queued `result.sent` mail effects (each: one message to the agency's user
 * with the issued final report attached, a 224 KiB PDF stored as an issued `documents` row with
 * its blob) through the effect worker, the mail effect (mail_messages rows, template rendering,
 * acceptance journal) and the pooled SMTP mailer, to a local smtp-server (STARTTLS disabled)
 * running in its own thread. Baseline: raw pooled nodemailer (same pool size, same 8 messages in
 * flight) sending the same 1,000 messages (subject, HTML, text and attachment read back from what
 * the product sent). A second row sends messages whose attachments all differ (one issued report
 * per copy of the assignment, bytes renewed each round, so the blob cache never hits), against raw
 * nodemailer sending the same distinct bytes from memory.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { createHash } from "node:crypto";
import { Worker } from "node:worker_threads";
import nodemailer from "nodemailer";
import type Mail from "nodemailer/lib/mailer/index.js";
import { simpleParser } from "mailparser";
import { createOrder } from "../server/commands/createOrder.js";
import {
  alternate,
  cloneAssignments,
  dropDatabase,
  fmt,
  freshDatabase,
  median,
  root,
  seedOrganisation,
  startProduct,
  type BenchContext,
  type Row,
} from "./lib.js";

/** smtp-server in a worker thread: counts messages and hands back the first one of each batch. */
const SMTP_WORKER = `
const { parentPort } = require("node:worker_threads");
const { createRequire } = require("node:module");
const req = createRequire(process.env.BENCH_ROOT + "/package.json");
const { SMTPServer } = req("smtp-server");
let count = 0; let sample = null;
const server = new SMTPServer({
  disabledCommands: ["STARTTLS", "AUTH"], authOptional: true, logger: false, size: 50 * 1024 * 1024, maxClients: 100,
  onData(stream, _session, cb) {
    const chunks = []; const keep = sample === null;
    stream.on("data", (c) => { if (keep) chunks.push(c); });
    stream.on("end", () => { count++; if (keep && sample === null) sample = Buffer.concat(chunks); cb(); });
  },
});
server.listen(0, "127.0.0.1", () => parentPort.postMessage({ port: server.server.address().port }));
parentPort.on("message", (m) => {
  if (m === "count") parentPort.postMessage({ count });
  if (m === "sample") { parentPort.postMessage({ sample }); sample = null; }
  if (m === "reset") { count = 0; parentPort.postMessage({ count }); }
});
`;

function smtpServer() {
  const worker = new Worker(SMTP_WORKER, { eval: true, env: { ...process.env, BENCH_ROOT: root } });
  const ask = <T>(m: string) => new Promise<T>((resolve) => worker.once("message", (r: T) => resolve(r)));
  const ready = new Promise<number>((resolve) => worker.once("message", (m: { port: number }) => resolve(m.port)));
  return {
    ready,
    count: () => {
      const p = ask<{ count: number }>("count");
      worker.postMessage("count");
      return p.then((r) => r.count);
    },
    reset: () => {
      const p = ask<{ count: number }>("reset");
      worker.postMessage("reset");
      return p;
    },
    sample: () => {
      const p = ask<{ sample: Uint8Array | null }>("sample");
      worker.postMessage("sample");
      return p.then((r) => (r.sample ? Buffer.from(r.sample) : null));
    },
    stop: () => worker.terminate(),
  };
}

export async function mail(ctx: BenchContext): Promise<Row[]> {
  const n = ctx.smoke ? 30 : 1000;
  const smtp = smtpServer();
  const port = await smtp.ready;
  const dbName = "tvpb_bench_mail";
  const databaseUrl = await freshDatabase(ctx.pgUrl, dbName);
  const tvpb = await startProduct({ databaseUrl, smtpUrl: `smtp://127.0.0.1:${port}?ignoreTLS=true` });
  const transport = nodemailer.createTransport({
    host: "127.0.0.1",
    port,
    pool: true,
    maxConnections: 3,
    ignoreTLS: true,
  });
  try {
    const q = tvpb.database.query.bind(tvpb.database);
    const o = await seedOrganisation(tvpb.db);
    // One recipient per message: the agency's user (the agency's own address is left out).
    await q("update agencies set email = null where id = $1", [o.agency.id]);
    const a = await createOrder(
      { db: tvpb.db, clock: tvpb.clock },
      {
        actor: o.actor("secretariat"),
        input: {
          type: "critique",
          forms: ["council"],
          subjectKind: "scheme",
          agencyId: o.agency.id,
          origin: "ordered",
          title: "Đề án phát triển cây dược liệu tỉnh Tuyên Quang giai đoạn 2026–2030, định hướng đến năm 2035",
        },
      },
    );
    const pdfBytes = readFileSync(path.join(root, "docs/samples/finalReport.pdf"));
    const sha = createHash("sha256").update(pdfBytes).digest("hex");
    await q("insert into blobs (sha256, size, bytes) values ($1, $2, $3) on conflict do nothing", [
      sha,
      pdfBytes.length,
      pdfBytes,
    ]);
    await q(
      `insert into documents (id, organization_id, assignment_id, kind, title, status, register, year, number, ` +
        `number_label, sha256, issued_at)
             values (gen_random_uuid()::text, $1, $2, 'finalReport', $3, 'issued', 'BC', 2026, 7, '07/BC-LHH',
               $4, now())`,
      [o.org.id, a.id, a.title, sha],
    );

    // Distinct attachments: copies of the assignment, each with its own issued report whose bytes
    // differ (a PDF comment after %%EOF naming the round and the copy), renewed before each round
    // so that no message finds its attachment in the blob cache.
    const nDistinct = Number(process.env.BENCH_MAIL_DISTINCT) || (ctx.smoke ? 30 : 250);
    await cloneAssignments(q, a.id, nDistinct, { prefix: "MD" });
    await q(
      `insert into documents (id, organization_id, assignment_id, kind, title, status, register, year, number, ` +
        `number_label, sha256, issued_at)
             select gen_random_uuid()::text, $1, a.id, 'finalReport', a.title, 'issued', 'BC', 2026, 100 + i,
               (100 + i) || '/BC-LHH', $2, now()
             from (select id, title, row_number() over (order by code) as i from assignments where code like 'MD-%') a`,
      [o.org.id, sha],
    );
    const distinctCopy = (round: number, code: string) =>
      Buffer.concat([pdfBytes, Buffer.from(`%bench ${round} ${code}\n`)]);
    let round = 0;
    const freshAttachments = async () => {
      round++;
      await q(
        `with b as (select a.id as assignment_id, $1::bytea || convert_to('%bench ' || $2::int || ' ' || a.code ||
             E'\\n', 'UTF8') as bytes from assignments a where a.code like 'MD-%'),
           ins as (insert into blobs (sha256, size, bytes) select encode(sha256(bytes), 'hex'), length(bytes), bytes
             from b on conflict do nothing returning 1)
         update documents d set sha256 = encode(sha256(b.bytes), 'hex') from b where d.assignment_id = b.assignment_id`,
        [pdfBytes, round],
      );
    };

    let batch = 0;
    const payload = (workflowId: string) =>
      JSON.stringify({
        template: "result.sent",
        to: "agency",
        data: {},
        workflow: "assignment",
        workflowId,
        event: "report.issue",
      });
    const queue = async (count: number, distinct: boolean) => {
      batch++;
      if (distinct) {
        await q(
          `insert into effects (organization_id, assignment_id, kind, payload, idempotency_key, status, run_after)
                 select $1, id, 'mail', jsonb_set($2::jsonb, '{workflowId}', to_jsonb(id)),
                   'bench:' || $3::int || ':' || code, 'pending', now() - interval '1 second'
                 from assignments where code like 'MD-%' order by code limit $4`,
          [o.org.id, payload(a.id), batch, count],
        );
        return;
      }
      await q(
        `insert into effects (organization_id, assignment_id, kind, payload, idempotency_key, status, run_after)
               select $1, $2, 'mail', $3::jsonb, 'bench:' || $4::int || ':' || i, 'pending', now() - interval
                 '1 second' from generate_series(1, $5::int) i`,
        [o.org.id, a.id, payload(a.id), batch, count],
      );
    };
    const productRun = async (count: number, distinct = false) => {
      if (distinct) await freshAttachments();
      await queue(count, distinct);
      await smtp.reset();
      const s = performance.now();
      const done = await tvpb.effectWorker.drain();
      const elapsed = performance.now() - s;
      const received = await smtp.count();
      const [{ failed }] = await q("select count(*)::int as failed from effects where status <> 'done'");
      if (done !== count || received !== count || Number(failed))
        throw new Error(
          `product: ${done} effects, ${received} messages received, ${String(failed)} not done (expected ${count})`,
        );
      return (count / elapsed) * 1000;
    };

    // Warm up (and capture one message exactly as the product sent it, for the baseline).
    await productRun(Math.min(20, n));
    const raw = await smtp.sample();
    if (!raw) throw new Error("no sample message");
    const parsed = await simpleParser(raw);
    const attachment = parsed.attachments[0];
    ctx.log(
      `message: "${parsed.subject}", ${Math.round(raw.length / 1024)} KiB on the wire, attachment ` +
        `${attachment?.filename} ${Math.round((attachment?.size ?? 0) / 1024)} KiB`,
    );
    const message = (i: number, distinct = false): Mail.Options => ({
      from: parsed.from?.value[0] as Mail.Address,
      to: (Array.isArray(parsed.to) ? parsed.to[0] : parsed.to)?.value as Mail.Address[],
      subject: parsed.subject,
      html: parsed.html || undefined,
      text: parsed.text,
      messageId: `<bench-${batch}-${i}@localhost>`,
      textEncoding: "base64" as const,
      attachments: attachment
        ? [
            {
              filename: attachment.filename,
              content: distinct ? distinctCopy(round, `MD-${i + 1}`) : attachment.content,
              contentType: attachment.contentType,
            },
          ]
        : [],
    });
    const baselineRun = async (count: number, distinct = false) => {
      if (distinct) round++;
      batch++;
      await smtp.reset();
      let next = 0;
      const s = performance.now();
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < count) await transport.sendMail(message(next++, distinct));
        }),
      );
      const elapsed = performance.now() - s;
      const received = await smtp.count();
      if (received !== count) throw new Error(`baseline: ${received} messages received, expected ${count}`);
      return (count / elapsed) * 1000;
    };
    await baselineRun(Math.min(20, n));

    const runs = await alternate(
      3,
      () => productRun(n),
      () => baselineRun(n),
    );
    const p = median(runs.product);
    const b = median(runs.baseline);
    ctx.log(
      `product ${runs.product.map((x) => fmt(x)).join(", ")} msg/s; baseline ` +
        `${runs.baseline.map((x) => fmt(x)).join(", ")} msg/s`,
    );
    await productRun(Math.min(20, nDistinct), true);
    const distinctRuns = await alternate(
      3,
      () => productRun(nDistinct, true),
      () => baselineRun(nDistinct, true),
    );
    const dp = median(distinctRuns.product);
    const db = median(distinctRuns.baseline);
    ctx.log(
      `distinct: product ${distinctRuns.product.map((x) => fmt(x)).join(", ")} msg/s; baseline ` +
        `${distinctRuns.baseline.map((x) => fmt(x)).join(", ")} msg/s`,
    );
    return [
      {
        benchmark: `mail: ${n.toLocaleString("en")} queued, PDF attached`,
        product: `${fmt(p)} msg/s (${fmt(n / p, 1)} s)`,
        baseline: `${fmt(b)} msg/s (raw nodemailer pool)`,
        ratio: fmt(p / b, 2),
        target: "≥ 0.7",
        met: p / b >= 0.7,
      },
      {
        benchmark: `mail: ${nDistinct.toLocaleString("en")} queued, a distinct PDF each`,
        product: `${fmt(dp)} msg/s (${fmt(nDistinct / dp, 1)} s)`,
        baseline: `${fmt(db)} msg/s (raw nodemailer pool)`,
        ratio: fmt(dp / db, 2),
        target: "≥ 0.7",
        met: dp / db >= 0.7,
        note:
          "every message's attachment has bytes no earlier message had (renewed each round), so the " +
          "blob cache never holds it: each is read from the database",
      },
    ];
  } finally {
    transport.close();
    await tvpb.cleanup();
    await smtp.stop();
    await dropDatabase(ctx.pgUrl, dbName);
  }
}
