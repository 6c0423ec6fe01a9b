/**
 * The statements a piece of work sends through a Drizzle database, recorded by swapping in the
 * session's query logger for its length (tests counting reads, query-plan checks, bench/profilePages).
 */
import type { Logger } from "drizzle-orm";
import type { Db } from "../../server/db/connect.js";

/** One statement as Drizzle sent it: its text and its parameters. */
export type SentStatement = { text: string; params: unknown[] };

/** Runs `fn` and returns, in order, every statement it sent through `db` (and what `fn` returned). */
export async function recordStatements<T>(db: Db, fn: () => Promise<T>): Promise<{ sent: SentStatement[]; result: T }> {
  const sent: SentStatement[] = [];
  const session = (db as unknown as { session: { logger: Logger } }).session;
  const before = session.logger;
  session.logger = { logQuery: (text, params) => void sent.push({ text, params }) };
  try {
    return { sent, result: await fn() };
  } finally {
    session.logger = before;
  }
}
