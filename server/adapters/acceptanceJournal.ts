/**
 * The SMTP acceptance journal: which Message-IDs an SMTP server has accepted (250 after DATA). The
 * SMTP mailer records each acceptance here before `send` resolves, so before anything can mark the
 * message sent; a message some process left "sending" (it died between the server's 250 and the
 * database's "sent") is found here by whichever process retries it, and is not sent again.
 *
 * It lives in the database (`mail_acceptances`), shared by every process on it. Acceptances that
 * arrive together share one INSERT (group commit), and a write is retried through a short database
 * outage (a restart), since what it records — the message went out — cannot be learnt again.
 */
import { inArray, lt } from "drizzle-orm";
import type { Db } from "../db/connect.js";
import { retryWhileUnavailable } from "../db/retry.js";
import { mailAcceptances } from "../db/schema.js";

/** Where acceptances are kept; `databaseAcceptanceStore` in production, `memoryAcceptanceStore` in tests. */
export type AcceptanceStore = {
  /** Records the ids (idempotent). Rejects with the storage's error. */
  insert(messageIds: string[], at: Date): Promise<void>;
  /** Those of `messageIds` that are recorded. Rejects with the storage's error. */
  find(messageIds: string[]): Promise<string[]>;
  /** Forgets acceptances older than `before` (the messages are long marked sent). */
  prune(before: Date): Promise<void>;
};

/** The journal the SMTP mailer writes through. */
export type AcceptanceJournal = {
  /**
   * Records an accepted Message-ID; resolves once it is stored (committed) for every process to
   * see. Records made while an earlier group is being written, or in the same turn of the event
   * loop, share one write. Rejects, for every record of its group, with the store's error (after
   * retrying a database outage for up to `retryMs`).
   */
  record(messageId: string): Promise<void>;
  /** Whether the id is recorded (by any process). Rejects if the store cannot be read. */
  has(messageId: string): Promise<boolean>;
  /** Waits for pending records. */
  close(): Promise<void>;
};

/** The shared journal in the `mail_acceptances` table. */
export function databaseAcceptanceStore(db: Db): AcceptanceStore {
  return {
    async insert(messageIds, at) {
      await db
        .insert(mailAcceptances)
        .values(messageIds.map((messageId) => ({ messageId, acceptedAt: at })))
        .onConflictDoNothing();
    },
    async find(messageIds) {
      const rows = await db
        .select({ id: mailAcceptances.messageId })
        .from(mailAcceptances)
        .where(inArray(mailAcceptances.messageId, messageIds));
      return rows.map((r) => r.id);
    },
    async prune(before) {
      await db.delete(mailAcceptances).where(lt(mailAcceptances.acceptedAt, before));
    },
  };
}

/** A journal store in memory (one process; tests and tools). */
export function memoryAcceptanceStore(): AcceptanceStore & { ids: Set<string> } {
  const ids = new Set<string>();
  return {
    ids,
    insert: async (messageIds) => void messageIds.forEach((id) => ids.add(id)),
    find: async (messageIds) => messageIds.filter((id) => ids.has(id)),
    prune: async () => undefined,
  };
}

/** Acceptances are kept this long: a message is retried for hours at most, never for a month. */
const KEEP_MS = 30 * 86_400_000;
const PRUNE_EVERY_MS = 3_600_000;

type Pending = { messageId: string; resolve: () => void; reject: (err: unknown) => void };

/**
 * The journal over `store`, with group commit: `record` queues the id; one writer stores every
 * queued id in one write and resolves each `record` of that group only then. While it writes, new
 * records queue up for the next group, so under load one round trip covers many messages.
 */
export function createAcceptanceJournal(
  store: AcceptanceStore,
  opts: { retryMs?: number; now?: () => Date } = {},
): AcceptanceJournal {
  const now = opts.now ?? (() => new Date());
  const seen = new Set<string>();
  let queue: Pending[] = [];
  let writer: Promise<void> | null = null;
  let prunedAt = 0;

  async function writeGroup(group: Pending[]) {
    try {
      const ids = group.map((g) => g.messageId);
      await retryWhileUnavailable(() => store.insert(ids, now()), { giveUpMs: opts.retryMs });
      for (const id of ids) seen.add(id);
      for (const g of group) g.resolve();
    } catch (err) {
      for (const g of group) g.reject(err);
    }
    if (Date.now() - prunedAt > PRUNE_EVERY_MS) {
      prunedAt = Date.now();
      void store.prune(new Date(now().getTime() - KEEP_MS)).catch(() => undefined);
    }
  }

  async function writeGroups() {
    // Wait for the rest of this turn of the event loop: acceptances that arrive together share a group.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (queue.length) {
      const group = queue;
      queue = [];
      await writeGroup(group);
    }
  }

  function startWriter() {
    writer = writeGroups().finally(() => {
      writer = null;
      // A record queued after the last check of the loop and before this callback.
      if (queue.length) startWriter();
    });
  }

  return {
    record(messageId) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ messageId, resolve, reject });
        if (!writer) startWriter();
      });
    },
    async has(messageId) {
      if (seen.has(messageId)) return true;
      return (await store.find([messageId])).includes(messageId);
    },
    async close() {
      while (writer) await writer;
    },
  };
}
