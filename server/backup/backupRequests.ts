/**
 * A backup of a running PGlite server, with its cooperation (PGlite allows one process per data
 * directory, so `npm run backup` cannot open it). The server announces that it listens by writing
 * `<DATA_DIR>/run/backup-signal` (its pid). The backup command writes a request file next to it and
 * sends SIGUSR2; the server dumps the data directory between transactions (writes wait for a few
 * seconds), writes the dump where the request says, and answers with a done file.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { Database } from "../db/connect.js";

/** A request: where to write the dump. */
export type BackupRequest = { id: string; target: string };
/** The answer. */
export type BackupAnswer = { ok: true; bytes: number; ms: number } | { ok: false; error: string };

/** The folder of requests, answers and the announcement. */
export const backupRunDir = (dataDir: string) => path.join(dataDir, "run");
export const signalFile = (dataDir: string) => path.join(backupRunDir(dataDir), "backup-signal");
export const requestFile = (dataDir: string, id: string) =>
  path.join(backupRunDir(dataDir), `backup-request-${id}.json`);
export const answerFile = (dataDir: string, id: string) => path.join(backupRunDir(dataDir), `backup-done-${id}.json`);

type Logger = { info(obj: object, msg?: string): void; error(obj: object, msg?: string): void };

/**
 * Listens for backup requests on SIGUSR2 when the database is PGlite; returns how to stop
 * listening (also removes the announcement). Does nothing on PostgreSQL (pg_dump needs no help).
 */
export function listenForBackupRequests(o: { dataDir: string; database: Database; logger: Logger }): () => void {
  const dump = o.database.dumpDataDir?.bind(o.database);
  if (!dump) return () => undefined;
  let busy: Promise<void> | null = null;
  const serve = async () => {
    for (const name of readdirSync(backupRunDir(o.dataDir)).filter((n) => /^backup-request-[\w-]+\.json$/.test(n))) {
      const file = path.join(backupRunDir(o.dataDir), name);
      let request: BackupRequest;
      try {
        request = JSON.parse(readFileSync(file, "utf8")) as BackupRequest;
      } finally {
        rmSync(file, { force: true });
      }
      const started = Date.now();
      let answer: BackupAnswer;
      try {
        const bytes = Buffer.from(await (await dump()).arrayBuffer());
        await writeFile(request.target, bytes);
        answer = { ok: true, bytes: bytes.length, ms: Date.now() - started };
        o.logger.info({ event: "backup.dumped", target: request.target, ...answer }, "database dumped for a backup");
      } catch (err) {
        answer = { ok: false, error: (err as Error).message };
        o.logger.error({ event: "backup.failed", err: answer.error }, "backup dump failed");
      }
      writeFileSync(answerFile(o.dataDir, request.id), JSON.stringify(answer));
    }
  };
  const onSignal = () => {
    // One at a time; a signal that arrives meanwhile is served by the next round.
    busy = (busy ?? Promise.resolve()).then(serve).catch((err: unknown) => {
      o.logger.error({ event: "backup.failed", err: (err as Error).message }, "backup request failed");
    });
  };
  mkdirSync(backupRunDir(o.dataDir), { recursive: true });
  writeFileSync(signalFile(o.dataDir), String(process.pid));
  process.on("SIGUSR2", onSignal);
  return () => {
    process.off("SIGUSR2", onSignal);
    if (existsSync(signalFile(o.dataDir)) && readFileSync(signalFile(o.dataDir), "utf8") === String(process.pid))
      rmSync(signalFile(o.dataDir), { force: true });
  };
}
