/**
 * The SMTP acceptance journal, shared by every process through the database, with group commit:
 * acceptances that arrive together share one INSERT, and each `record` (so each `send`) resolves
 * only once its own id is committed. The crash tests (crash.test.ts) check it with killed processes.
 */
import { expect } from "chai";
import { inArray } from "drizzle-orm";
import {
  createAcceptanceJournal,
  databaseAcceptanceStore,
  memoryAcceptanceStore,
  type AcceptanceStore,
} from "../../server/adapters/acceptanceJournal.js";
import { createMailer, messageIdFor } from "../../server/adapters/mailer.js";
import { mailAcceptances } from "../../server/db/schema.js";
import { testDatabase } from "../support/db.js";
import { startSmtpSink } from "./support/smtpSink.js";

const ids = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => messageIdFor(`${tag}:${i}:${Math.random()}`, "tvpb.test"));

type Event = { kind: "insert"; ids: string[] } | { kind: "committed" } | { kind: "resolved"; id: string };

/** The real table, with every insert and its commit logged in order. */
function spyStore(inner: AcceptanceStore, events: Event[]): AcceptanceStore {
  return {
    ...inner,
    async insert(messageIds, at) {
      events.push({ kind: "insert", ids: [...messageIds] });
      await inner.insert(messageIds, at);
      events.push({ kind: "committed" });
    },
  };
}

/** A store whose inserts wait until the test lets them finish (or fail). */
function manualStore() {
  const stored = new Set<string>();
  const inserts: Array<{ ids: string[]; release: (err?: Error) => void }> = [];
  const store: AcceptanceStore = {
    insert: (messageIds) =>
      new Promise<void>((resolve, reject) =>
        inserts.push({
          ids: [...messageIds],
          release: (err) => {
            if (err) return reject(err);
            messageIds.forEach((id) => stored.add(id));
            resolve();
          },
        }),
      ),
    find: async (messageIds) => messageIds.filter((id) => stored.has(id)),
    prune: async () => undefined,
  };
  return { store, inserts, stored };
}

const settle = async (n = 5) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

describe("SMTP acceptance journal (shared, group commit)", () => {
  it("resolves each of 200 concurrent records only after an insert that holds it committed, in far fewer inserts", async () => {
    const database = await testDatabase();
    const events: Event[] = [];
    const journal = createAcceptanceJournal(spyStore(databaseAcceptanceStore(database.db), events));
    const all = ids(200, "concurrent");
    // Arrivals spread over several turns of the event loop, as SMTP replies do.
    await Promise.all(
      all.map(async (id, i) => {
        if (i % 20 === 0) await new Promise((r) => setImmediate(r));
        await journal.record(id);
        events.push({ kind: "resolved", id });
      }),
    );
    await journal.close();

    for (const id of all) {
      const inserted = events.findIndex((e) => e.kind === "insert" && e.ids.includes(id));
      const resolved = events.findIndex((e) => e.kind === "resolved" && e.id === id);
      expect(inserted, `${id} inserted`).to.be.at.least(0);
      const committed = events.findIndex((e, i) => i > inserted && e.kind === "committed");
      expect(committed, `${id}: committed after its insert`).to.be.greaterThan(inserted);
      expect(resolved, `${id}: resolved after that commit`).to.be.greaterThan(committed);
    }
    const inserts = events.filter((e) => e.kind === "insert").length;
    expect(inserts, "grouped").to.be.below(all.length / 4);
    const rows = await database.db.select().from(mailAcceptances).where(inArray(mailAcceptances.messageId, all));
    expect(rows.map((r) => r.messageId).sort()).to.deep.equal([...all].sort());
  });

  it("makes a record that arrives during an insert wait for the next group's own insert", async () => {
    const m = manualStore();
    const journal = createAcceptanceJournal(m.store);
    const [a, b, c] = ids(3, "order");
    const done: string[] = [];
    const track = (id: string) => journal.record(id).then(() => done.push(id));
    const pa = track(a);
    const pb = track(b);
    await settle();
    expect(m.inserts, "one group, one insert").to.have.length(1);
    expect(m.inserts[0].ids).to.deep.equal([a, b]);
    const pc = track(c);
    await settle();
    expect(done, "nothing resolves before its commit").to.deep.equal([]);
    expect(m.inserts, "the next group waits for the running one").to.have.length(1);

    m.inserts[0].release();
    await Promise.all([pa, pb]);
    await settle();
    expect(done).to.have.members([a, b]);
    expect(m.inserts).to.have.length(2);
    expect(m.inserts[1].ids).to.deep.equal([c]);
    expect(done, "c waits for the second insert").to.not.include(c);
    m.inserts[1].release();
    await pc;
    expect(done).to.deep.equal([a, b, c]);
    await journal.close();
  });

  it("rejects every record of a group whose insert failed, and the next group still works", async () => {
    const m = manualStore();
    const journal = createAcceptanceJournal(m.store);
    const [a, b, c, d] = ids(4, "failure");
    const first = Promise.allSettled([journal.record(a), journal.record(b)]);
    await settle();
    m.inserts[0].release(Object.assign(new Error("disk full"), { code: "53100" }));
    expect((await first).map((r) => r.status)).to.deep.equal(["rejected", "rejected"]);
    expect(await journal.has(a)).to.equal(false);

    const next = Promise.all([journal.record(c), journal.record(d)]);
    await settle();
    m.inserts[1].release();
    await next;
    expect((await journal.has(c)) && (await journal.has(d))).to.equal(true);
    await journal.close();
  });

  it("retries a group through a database restart instead of forgetting an acceptance", async () => {
    const m = manualStore();
    const journal = createAcceptanceJournal(m.store, { retryMs: 5_000 });
    const [a] = ids(1, "restart");
    const recorded = journal.record(a);
    await settle();
    // The connection dropped (PostgreSQL restarting): the same group is written again.
    m.inserts[0].release(Object.assign(new Error("Connection terminated unexpectedly")));
    while (m.inserts.length < 2) await new Promise((r) => setTimeout(r, 20));
    expect(m.inserts[1].ids).to.deep.equal([a]);
    m.inserts[1].release();
    await recorded;
    expect(m.stored.has(a)).to.equal(true);
  });

  it("lets another process's journal on the same database find what this one recorded", async () => {
    const database = await testDatabase();
    const first = createAcceptanceJournal(databaseAcceptanceStore(database.db));
    const all = ids(30, "shared");
    const pending = all.map((id) => first.record(id));
    await first.close(); // waits for the group in flight
    await Promise.all(pending);
    const other = createAcceptanceJournal(databaseAcceptanceStore(database.db));
    for (const id of all) expect(await other.has(id), id).to.equal(true);
    expect(await other.has(messageIdFor("never", "tvpb.test"))).to.equal(false);
    await other.close();
  });

  it("over SMTP: 40 concurrent sends each resolve with their Message-ID already in the journal", async () => {
    const smtp = await startSmtpSink();
    const store = memoryAcceptanceStore();
    const mailer = createMailer({ smtpUrl: smtp.url, outboxDir: "/unused", journal: createAcceptanceJournal(store) });
    try {
      const all = ids(40, "smtp");
      const lateToJournal: string[] = [];
      await Promise.all(
        all.map(async (messageId, i) => {
          await mailer.send({
            from: { name: "Liên hiệp hội", address: "tvpb@test.vn" },
            to: [{ name: `Người nhận ${i}`, address: `nguoinhan${i}@test.vn` }],
            subject: `Thư số ${i}`,
            html: `<p>Thư số ${i}</p>`,
            text: `Thư số ${i}`,
            messageId,
          });
          if (!store.ids.has(messageId)) lateToJournal.push(messageId);
        }),
      );
      expect(lateToJournal).to.deep.equal([]);
      expect(smtp.counts().size).to.equal(40);
      const restarted = createMailer({
        smtpUrl: smtp.url,
        outboxDir: "/unused",
        journal: createAcceptanceJournal(store),
      });
      for (const id of all) expect(await restarted.wasAccepted?.(id), id).to.equal(true);
      await restarted.close();
    } finally {
      await mailer.close();
      await smtp.close();
    }
  });

  it("refuses to build an SMTP mailer without a journal", () => {
    expect(() => createMailer({ smtpUrl: "smtp://127.0.0.1:2525", outboxDir: "/unused" })).to.throw(TypeError);
  });
});
