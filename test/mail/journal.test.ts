/**
 * The SMTP acceptance journal with group commit: acceptances that arrive together share one
 * append and one fdatasync, and each `record` (so each `send`) resolves only once its own line
 * has been synced. The crash tests (crash.test.ts) check the same journal with killed processes.
 */
import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createAcceptanceJournal, createMailer, messageIdFor, type JournalFile } from "../../server/adapters/mailer.js";
import { startSmtpSink } from "./support/smtpSink.js";

const tmpFile = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tvpb-journal-")), "outbox", "smtp-accepted.log");
const ids = (n: number, tag: string) => Array.from({ length: n }, (_, i) => messageIdFor(`${tag}:${i}`, "tvpb.test"));
const linesOf = (file: string) =>
  fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => l.split(" ")[0]);

type Event = { kind: "append"; data: string } | { kind: "synced" } | { kind: "resolved"; id: string };

/** The real file, with every append and every completed datasync logged in order. */
function spyOpen(events: Event[]) {
  return async (file: string): Promise<JournalFile> => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const h = await fs.promises.open(file, "a");
    return {
      async append(data) {
        events.push({ kind: "append", data });
        await h.appendFile(data, "utf8");
      },
      async datasync() {
        await h.datasync();
        events.push({ kind: "synced" });
      },
      close: () => h.close(),
    };
  };
}

/** An in-memory file whose datasync waits until the test lets it finish. */
function manualFile() {
  const written: string[] = [];
  const syncs: Array<{ release: (err?: Error) => void; upTo: number }> = [];
  let failNextAppend: string | null = null;
  const file: JournalFile = {
    async append(data) {
      if (failNextAppend !== null) {
        written.push(data.slice(0, 7)); // part of the line reached the file
        const msg = failNextAppend;
        failNextAppend = null;
        throw Object.assign(new Error(msg || "ENOSPC: no space left on device"), { code: "ENOSPC" });
      }
      written.push(data);
    },
    datasync() {
      return new Promise<void>((resolve, reject) =>
        syncs.push({ upTo: written.length, release: (err) => (err ? reject(err) : resolve()) }),
      );
    },
    async close() {},
  };
  return {
    open: async () => file,
    text: () => written.join(""),
    syncs,
    failNextAppend: (msg = "ENOSPC: no space left on device") => (failNextAppend = msg),
  };
}

const settle = async (n = 5) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

describe("SMTP acceptance journal (group commit)", () => {
  it("resolves each of 200 concurrent records only after a datasync that covers its line, with far fewer syncs", async () => {
    const file = tmpFile();
    const events: Event[] = [];
    const journal = createAcceptanceJournal(file, { open: spyOpen(events) });
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
      const appended = events.findIndex((e) => e.kind === "append" && e.data.includes(`${id} `));
      const resolved = events.findIndex((e) => e.kind === "resolved" && e.id === id);
      expect(appended, `${id} appended`).to.be.at.least(0);
      const synced = events.findIndex((e, i) => i > appended && e.kind === "synced");
      expect(synced, `${id}: a datasync after its append`).to.be.greaterThan(appended);
      expect(resolved, `${id}: resolved after that datasync`).to.be.greaterThan(synced);
    }
    const appends = events.filter((e) => e.kind === "append").length;
    const syncs = events.filter((e) => e.kind === "synced").length;
    expect(syncs).to.equal(appends);
    expect(syncs, "grouped").to.be.below(all.length / 4);
    expect(linesOf(file).sort()).to.deep.equal([...all].sort());
    for (const id of all) expect(journal.has(id)).to.equal(true);
  });

  it("makes a record that arrives during a sync wait for the next group's own sync", async () => {
    const f = manualFile();
    const journal = createAcceptanceJournal("/unused", { open: f.open });
    const [a, b, c] = ids(3, "order");
    const done: string[] = [];
    const track = (id: string) => journal.record(id).then(() => done.push(id));
    const pa = track(a);
    const pb = track(b);
    await settle();
    expect(f.syncs, "one group, one sync").to.have.length(1);
    expect(f.text()).to.contain(a).and.contain(b);
    const pc = track(c);
    await settle();
    expect(done, "nothing resolves before its sync").to.deep.equal([]);
    expect(f.text(), "the next group waits for the running one").to.not.contain(c);

    f.syncs[0].release();
    await Promise.all([pa, pb]);
    await settle();
    expect(done).to.have.members([a, b]);
    expect(f.text()).to.contain(c);
    expect(f.syncs).to.have.length(2);
    expect(done, "c waits for the second sync").to.not.include(c);
    f.syncs[1].release();
    await pc;
    expect(done).to.deep.equal([a, b, c]);
    await journal.close();
  });

  it("rejects every record of a group whose append or sync failed, and the next group still works on a clean line", async () => {
    const f = manualFile();
    const journal = createAcceptanceJournal("/unused", { open: f.open });
    const [a, b, c, d, e] = ids(5, "failure");

    f.failNextAppend();
    const first = await Promise.allSettled([journal.record(a), journal.record(b)]);
    expect(first.map((r) => r.status)).to.deep.equal(["rejected", "rejected"]);
    expect(String((first[0] as PromiseRejectedResult).reason)).to.contain("ENOSPC");

    const second = journal.record(c);
    await settle();
    expect(f.text(), "a torn line is ended before the next group").to.match(
      new RegExp(`\\n${c.replace(/[.]/g, "\\.")} `),
    );
    f.syncs[f.syncs.length - 1].release(Object.assign(new Error("EIO: i/o error, fdatasync"), { code: "EIO" }));
    const failed = await second.then(
      () => "resolved",
      (err: Error) => err.message,
    );
    expect(failed).to.contain("EIO");

    const third = Promise.all([journal.record(d), journal.record(e)]);
    await settle();
    f.syncs[f.syncs.length - 1].release();
    await third;
    expect(journal.has(d) && journal.has(e)).to.equal(true);
    await journal.close();
  });

  it("lets the next process find what an earlier one recorded, and close waits for pending records", async () => {
    const file = tmpFile();
    const first = createAcceptanceJournal(file);
    const all = ids(30, "restart");
    const pending = all.map((id) => first.record(id));
    await first.close(); // waits for the group in flight
    await Promise.all(pending);
    expect(linesOf(file)).to.have.length(30);
    const next = createAcceptanceJournal(file);
    for (const id of all) expect(next.has(id), id).to.equal(true);
    expect(next.has(messageIdFor("never", "tvpb.test"))).to.equal(false);
    // A record after close opens the file again.
    const late = messageIdFor("late", "tvpb.test");
    await first.record(late);
    expect(next.has(late)).to.equal(true);
    await first.close();
    await next.close();
  });

  it("over SMTP: 40 concurrent sends each resolve with their Message-ID already in the journal", async () => {
    const smtp = await startSmtpSink();
    const file = tmpFile();
    const mailer = createMailer({ smtpUrl: smtp.url, outboxDir: "/unused", journalFile: file });
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
          if (!fs.readFileSync(file, "utf8").includes(`${messageId} `)) lateToJournal.push(messageId);
        }),
      );
      expect(lateToJournal).to.deep.equal([]);
      expect(smtp.counts().size).to.equal(40);
      const restarted = createMailer({ smtpUrl: smtp.url, outboxDir: "/unused", journalFile: file });
      for (const id of all) expect(restarted.wasAccepted?.(id), id).to.equal(true);
      await restarted.close();
    } finally {
      await mailer.close();
      await smtp.close();
    }
  });
});
