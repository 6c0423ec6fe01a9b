/**
 * The blob cache the mail effect reads attachments through: the same bytes as the database, each
 * blob read once, and never more than its bound in memory.
 */
import { expect } from "chai";
import { createHash, randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createBlobCache } from "../../server/db/blobCache.js";
import type { Db } from "../../server/db/connect.js";
import { blobs, documents, effects } from "../../server/db/schema.js";
import { createSendMail } from "../../server/effects/sendMail.js";
import { createEmailTemplates } from "../../server/mail/templates.js";
import { createEffectWorker } from "../../server/runtime/effectWorker.js";
import { createDocumentService } from "../../server/documents/service.js";
import { createWorld, memoryMailer, silentLogger, TEST_LINK_SECRET } from "../support/testApp.js";
import { documentTemplates, samples } from "../support/documents.js";
import { placeOrder } from "../support/flows.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/** The database, counting the queries that read `blobs` (drizzle's select().from(blobs)). */
function countingBlobReads(db: Db) {
  const counter = { reads: 0 };
  const proxy = new Proxy(db, {
    get(target, key) {
      const value = Reflect.get(target, key, target) as unknown;
      if (key !== "select" || typeof value !== "function")
        return typeof value === "function" ? value.bind(target) : value;
      return (...args: unknown[]) => {
        const builder = (value as (...a: unknown[]) => { from: (t: unknown) => unknown }).apply(target, args);
        const from = builder.from.bind(builder);
        builder.from = (t: unknown) => {
          if (t === blobs) counter.reads++;
          return from(t);
        };
        return builder;
      };
    },
  });
  return { db: proxy, counter };
}

describe("blob cache", () => {
  it("evicts the least recently used blobs to stay within its bound", () => {
    const cache = createBlobCache({ maxBytes: 1000 });
    const a = randomBytes(400);
    const b = randomBytes(400);
    const c = randomBytes(400);
    cache.set("a", a);
    cache.set("b", b);
    expect(cache.get("a")).to.equal(a); // a is now more recent than b
    cache.set("c", c);
    expect(cache.get("b"), "least recently used, evicted").to.equal(undefined);
    expect(cache.get("a")).to.equal(a);
    expect(cache.get("c")).to.equal(c);
    expect(cache.stats()).to.deep.equal({ entries: 2, bytes: 800, maxBytes: 1000 });

    cache.set("a", a); // the same blob again is not counted twice
    expect(cache.stats().bytes).to.equal(800);
    cache.set("huge", randomBytes(1001));
    expect(cache.get("huge"), "a blob larger than the bound is not kept").to.equal(undefined);
    expect(cache.stats().entries).to.equal(2);

    for (let i = 0; i < 500; i++) {
      cache.set(`r${i}`, randomBytes(1 + ((i * 97) % 700)));
      expect(cache.stats().bytes).to.be.at.most(1000);
    }
    expect(() => createBlobCache({ maxBytes: -1 })).to.throw(RangeError);
  });

  it("stores and reads back every byte value, from a whole buffer and from a view into a larger one", async () => {
    // On PGlite bytea goes in as a binary parameter (server/db/connect.ts); on PostgreSQL as node-postgres sends it.
    const w = await createWorld();
    const all = Buffer.from(Array.from({ length: 512 }, (_, i) => i % 256));
    const around = randomBytes(4096);
    const view = around.subarray(1000, 3000);
    for (const bytes of [all, view, Buffer.alloc(0)])
      await w.db
        .insert(blobs)
        .values({ sha256: sha(bytes), size: bytes.length, bytes })
        .onConflictDoNothing();
    for (const bytes of [all, view, Buffer.alloc(0)]) {
      const [row] = await w.db
        .select()
        .from(blobs)
        .where(eq(blobs.sha256, sha(bytes)));
      expect(row.bytes.equals(bytes), `${bytes.length} bytes`).to.equal(true);
      const [same] = await w.database.query<{ same: boolean }>(
        "select bytes = $1::bytea as same from blobs where sha256 = $2",
        [bytes, sha(bytes)],
      );
      expect(same.same, "the parameter as a value in SQL").to.equal(true);
    }
  });

  it("returns the database's bytes, reads each blob once, and skips what is not stored", async () => {
    const w = await createWorld();
    const one = randomBytes(224 * 1024);
    const two = randomBytes(5000);
    for (const bytes of [one, two])
      await w.db
        .insert(blobs)
        .values({ sha256: sha(bytes), size: bytes.length, bytes })
        .onConflictDoNothing();
    const { db, counter } = countingBlobReads(w.db);
    const cache = createBlobCache();
    const missing = sha(Buffer.from("not stored"));

    const first = await cache.load(db, [sha(one), sha(two), missing, sha(one)]);
    expect(counter.reads).to.equal(1);
    expect([...first.keys()].sort()).to.deep.equal([sha(one), sha(two)].sort());
    expect(first.get(sha(one))!.equals(one)).to.equal(true);
    expect(first.get(sha(two))!.equals(two)).to.equal(true);

    const again = await cache.load(db, [sha(one), sha(two)]);
    expect(counter.reads, "served from memory").to.equal(1);
    expect(again.get(sha(one))!.equals(one)).to.equal(true);
    expect(cache.stats()).to.include({ entries: 2, bytes: one.length + two.length });

    await cache.load(db, [sha(one), missing]);
    expect(counter.reads, "only the unknown hash is asked for").to.equal(2);
  });

  it("attaches byte-identical PDFs to every result letter while reading each from the database once", async () => {
    const w = await createWorld();
    const pdf = (label: string) =>
      Buffer.concat([Buffer.from(`%PDF-1.7\n% ${label}\n`), randomBytes(30_000), Buffer.from("\n%%EOF\n")]);
    const files = { finalReport: pdf("report"), coverLetter: pdf("cover") };
    const orders = [await placeOrder(w), await placeOrder(w), await placeOrder(w)];
    await w.effectWorker.drain(); // the order acknowledgements, through the world's own handler
    let n = 60;
    for (const a of orders) {
      const now = w.clock.now();
      for (const [kind, bytes] of Object.entries(files)) {
        await w.db
          .insert(blobs)
          .values({ sha256: sha(bytes), size: bytes.length, bytes })
          .onConflictDoNothing();
        await w.db.insert(documents).values({
          organizationId: w.org.id,
          assignmentId: a.id,
          kind,
          title: a.title,
          status: "issued",
          register: kind === "finalReport" ? "BC" : "CV",
          year: 2026,
          number: n++,
          sha256: sha(bytes),
          issuedAt: now,
          createdAt: now,
        });
      }
      await w.db.insert(effects).values({
        organizationId: w.org.id,
        assignmentId: a.id,
        kind: "mail",
        status: "pending",
        runAfter: now,
        idempotencyKey: `result-cache:${a.id}`,
        payload: {
          template: "result.sent",
          to: "agency",
          data: {},
          workflow: "assignment",
          workflowId: a.id,
          event: "report.issue",
        },
      });
    }

    const { db, counter } = countingBlobReads(w.db);
    const mailer = memoryMailer();
    const blobCache = createBlobCache();
    const worker = createEffectWorker({
      db: w.db,
      organizations: () => [w.org.id],
      clock: w.clock,
      logger: silentLogger,
      concurrency: 1,
      handlers: {
        mail: createSendMail({
          db,
          clock: w.clock,
          mailer,
          templates: createEmailTemplates({ dir: path.join(root, "templates", "emails") }),
          publicUrl: "http://tvpb.test",
          linkSecret: TEST_LINK_SECRET,
          blobCache,
        }),
      },
    });
    expect(await worker.drain()).to.be.at.least(3);
    const codes = new Set(orders.map((a) => a.code as string));
    const ours = mailer.sent.filter((m) => codes.has(m.headers?.["X-TVPB-Assignment"] ?? ""));
    expect(ours, "agency user and agency address, three letters").to.have.length(6);
    for (const m of ours) {
      const got = (m.attachments ?? []).map((x) => sha(x.content)).sort();
      expect(got).to.deep.equal([sha(files.finalReport), sha(files.coverLetter)].sort());
      expect(m.text).to.match(/\d+\/BC-LHH/);
    }
    expect(counter.reads, "each PDF read once, for the first letter").to.equal(1);
    expect(blobCache.stats()).to.include({ entries: 2, bytes: files.finalReport.length + files.coverLetter.length });
  });

  it("holds what the document service issued, so the mail that announces it reads no blob", async () => {
    const w = await createWorld();
    const bytes = Buffer.concat([Buffer.from("%PDF-1.7\n"), randomBytes(20_000), Buffer.from("\n%%EOF\n")]);
    const renderer = {
      render: async () => bytes,
      close: async () => undefined,
      browserPid: () => undefined,
      unavailableReason: () => null,
      check: async () => null,
    };
    const blobCache = createBlobCache();
    const service = createDocumentService({
      db: w.db,
      renderer,
      publicUrl: "http://tvpb.test",
      clock: w.clock,
      templates: documentTemplates(),
      blobCache,
    });
    const frozen = {
      frozen: true,
      kind: "finalReport",
      vm: samples.finalReport,
      numberLabel: "07/BC-LHH",
      title: "Báo cáo",
    };
    const [doc] = await w.db
      .insert(documents)
      .values({
        organizationId: w.org.id,
        kind: "finalReport",
        title: "Báo cáo",
        status: "issuing",
        register: "BC",
        year: 2026,
        number: 7,
        numberLabel: "07/BC-LHH",
        verifyCode: "K7QX-3MPD-9A",
        viewModel: frozen,
        issuedAt: w.clock.now(),
      })
      .returning();
    await service.renderIssued(doc.id);
    const [issued] = await w.db.select().from(documents).where(eq(documents.id, doc.id));
    expect(issued.status).to.equal("issued");
    expect(issued.sha256).to.equal(sha(bytes));
    expect(blobCache.get(sha(bytes))?.equals(bytes)).to.equal(true);
    const { db, counter } = countingBlobReads(w.db);
    expect((await blobCache.load(db, [sha(bytes)])).get(sha(bytes))?.equals(bytes)).to.equal(true);
    expect(counter.reads).to.equal(0);
  });
});
