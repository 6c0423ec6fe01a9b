/**
 * Starts and stops a whole TVPB process: database, workers, HTTP. main.ts calls it with the
 * configuration; tests call it too (for restart tests) with an injected clock and logger. This is
 * where the engine (server/runtime) meets the domain: the records' action handlers and the
 * digest's timer are installed into it, and the effect handlers given to its worker.
 */
import http from "node:http";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Express } from "express";
import type { Logger } from "pino";
import { createLogger } from "./logger.js";
import type { Config } from "./config.js";
import { openDatabase, type Database, type Db } from "./db/connect.js";
import { createBlobCache, type BlobCache } from "./db/blobCache.js";
import { createApp } from "./app.js";
import { createHttpServer } from "./http/nodeServer.js";
import { databaseClockStore } from "./runtime/clockStore.js";
import { MovableClock, systemClock, type Clock } from "./runtime/clock.js";
import { installHandlers } from "./runtime/handlers.js";
import { createEffectWorker, type EffectHandler, type EffectWorker } from "./runtime/effectWorker.js";
import { createDeadlineWorker, type DeadlineWorker } from "./runtime/deadlineWorker.js";
import { planActions } from "./records/planActions.js";
import { recordActions } from "./records/recordActions.js";
import { ensureDigestTimers, fireOrganizationTimer, ORGANIZATION_WORKFLOW } from "./digest/digestTimer.js";
import { createMailer, type Mailer } from "./adapters/mailer.js";
import { createAcceptanceJournal, databaseAcceptanceStore } from "./adapters/acceptanceJournal.js";
import { createEmailTemplates } from "./mail/templates.js";
import { createSendMail, reportMailFailure, type MailDeps } from "./effects/sendMail.js";
import { createRenderDocument } from "./effects/renderDocument.js";
import { createImportExperts } from "./effects/importExperts.js";
import { seedDemo, isEmpty } from "./seed/demo.js";
import { isInstallationEmpty } from "./queries/isInstallationEmpty.js";
import type { PdfRenderer } from "./adapters/pdf.js";
import { startDocumentRendering } from "./adapters/documentRenderer.js";
import { listenForBackupRequests } from "./backup/backupRequests.js";
import { createDocumentService, type DocumentService } from "./documents/service.js";
import { createKeyVault, developmentKeyVault, type KeyVault } from "./signing/keyVault.js";
import { resealSigningKeys } from "./signing/signingKeyStore.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export type StartOptions = {
  config: Config;
  clock?: Clock;
  logger?: Logger;
  /** Start the background workers (tests may drive them by hand). */
  workers?: boolean;
  /** Replace effect handlers (tests). */
  handlers?: Partial<Record<string, EffectHandler>>;
  mailer?: Mailer;
};

export type Tvpb = Awaited<ReturnType<typeof startTvpb>>;

/**
 * Installs the domain's handlers into the engine: the machine actions of server/records and the
 * daily digest's timer (server/digest). Called by startTvpb; anything else that applies events
 * without it (a test world, a script) calls it first.
 */
export function installDomainHandlers(): void {
  installHandlers({
    actions: recordActions,
    timers: { [ORGANIZATION_WORKFLOW]: fireOrganizationTimer },
    planActions,
  });
}

/**
 * Starts TVPB: database (migrated), demo seed on a first development start, workers, HTTP.
 * Throws when the database cannot be opened or the port cannot be bound.
 */
export async function startTvpb(opts: StartOptions) {
  const { config } = opts;
  const logger = opts.logger ?? createLogger({ level: config.logLevel });
  const readiness = { ready: false };
  const phases = startupPhases();
  installDomainHandlers();
  const database: Database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    logger,
    pool: config.databasePoolMax ? { max: config.databasePoolMax } : undefined,
    pgliteSharedBuffers: config.pgliteSharedBuffers,
  });
  phases.mark("database");
  logger.info({ event: "db.ready", kind: database.kind }, "database ready");
  const { clock, stopClockSync } = await startClock(opts.clock, config, database, logger);
  const stopBackupRequests = listenForBackupRequests({ dataDir: config.dataDir, database, logger });
  const demo = await seedIfEmpty(config, database.db, clock, logger);
  const setupCode = await firstRunCode(database.db, config.publicUrl, logger);
  await ensureDigestTimers(database.db, clock);
  phases.mark("checks");
  const journal = createAcceptanceJournal(databaseAcceptanceStore(database.db));
  const outboxDir = path.join(config.dataDir, "outbox");
  const mailer = opts.mailer ?? createMailer({ smtpUrl: config.smtpUrl, outboxDir, logger, journal });
  // Issued PDFs by SHA-256, shared: what the document service stores, the mail that announces it finds in memory.
  const blobCache = createBlobCache();
  const { renderer, documents, unavailableReason } = startDocuments(config, database.db, clock, logger, blobCache);
  await resealAfterRotation(database.db, documents, logger);
  phases.mark("documents");
  const workers = createWorkers({ config, database, clock, logger, mailer, renderer, documents, opts, blobCache });
  const app = createApp({
    db: database.db,
    database,
    clock,
    logger,
    publicUrl: config.publicUrl,
    onCommitted: workers.onCommitted,
    isReady: () => readiness.ready,
    documentsUnavailable: unavailableReason,
    trustProxy: config.trustProxy,
    mail: { linkSecret: config.sessionSecret, ...(config.smtpUrl ? {} : { outboxDir }) },
    documents,
    setupCode,
    production: config.env === "production",
  });
  const { server, url, port } = await listen(app, config);
  goLive({ opts, workers, readiness, logger, url, phases });
  const stop = stopper({
    ...{ readiness, server, workers, mailer, renderer, database, logger },
    stopBackupRequests: () => {
      stopBackupRequests();
      stopClockSync();
    },
  });
  const { effectWorker, deadlineWorker } = workers;
  return {
    ...{ url, port, server, app, database, db: database.db, clock, logger },
    ...{ effectWorker, deadlineWorker, demo, setupCode, stop },
  };
}

/**
 * Start-up phases for the log line `startup.timings`: when each ended, in ms since the process
 * started (`modules`: loading the code, including `npm start`'s bundling), and the process's CPU
 * time by then (all its threads).
 */
function startupPhases() {
  const at: Record<string, number> = {};
  const cpuMs: Record<string, number> = {};
  const mark = (name: string) => {
    const cpu = process.cpuUsage();
    at[name] = Math.round(performance.now());
    cpuMs[name] = Math.round((cpu.user + cpu.system) / 1000);
  };
  mark("modules");
  return { mark, report: () => ({ at, cpuMs }) };
}

/** Once listening: the workers start (unless a test drives them), /readyz answers 200, the log says so. */
function goLive(p: {
  opts: StartOptions;
  workers: { effectWorker: EffectWorker; deadlineWorker: DeadlineWorker };
  readiness: { ready: boolean };
  logger: Logger;
  url: string;
  phases: ReturnType<typeof startupPhases>;
}) {
  if (p.opts.workers !== false) {
    p.workers.effectWorker.start(p.opts.config.workerPollMs);
    p.workers.deadlineWorker.start(p.opts.config.workerPollMs);
  }
  p.readiness.ready = true;
  p.phases.mark("listening");
  p.logger.info({ event: "http.listening", url: p.url }, `TVPB is listening on ${p.url}`);
  p.logger.info({ event: "startup.timings", ...p.phases.report() }, "start-up phases (ms since the process started)");
}

/**
 * How long one read of the shared clock offset serves this process's requests on PostgreSQL. On
 * PGlite this process holds the data directory's lock, so no other process can move the offset:
 * after the first read every move is this process's own (`moveForward` keeps it), and requests
 * read nothing (one statement less per request for every tenth event; docs/BENCHMARKS.md).
 */
const CLOCK_FRESH_MS = 250;

/**
 * The installation's clock: the system clock, which outside production an administrator may move
 * forward; the offset is shared by every process through the database (TVPB_CLOCK_OFFSET raises it
 * at start). In production it is the system clock's time and never moves.
 */

async function installationClock(config: Config, db: Db, kind: Database["kind"]): Promise<MovableClock> {
  const movable = config.env !== "production";
  const store = databaseClockStore(db);
  // A move made through another process is seen by this one's requests within CLOCK_FRESH_MS.
  const clock = new MovableClock(systemClock, {
    offsetMs: config.clockOffsetMs ?? 0,
    movable,
    store,
    freshMs: kind === "pglite" ? Number.POSITIVE_INFINITY : CLOCK_FRESH_MS,
  });
  await clock.start();
  return clock;
}

/**
 * The clock given, else the installation's; outside production on PostgreSQL it re-reads the shared
 * offset every poll interval (workers follow a move made in another process) until `stopClockSync`.
 * On PGlite no other process can move it (CLOCK_FRESH_MS).
 */
async function startClock(given: Clock | undefined, config: Config, database: Database, logger: Logger) {
  const clock = given ?? (await installationClock(config, database.db, database.kind));
  const shared = clock instanceof MovableClock && clock.movable && database.kind === "postgres";
  if (!shared) return { clock, stopClockSync: () => {} };
  const timer = setInterval(() => {
    clock.sync().catch((err: unknown) => logger.warn({ err, event: "clock.sync.failed" }, "clock offset not read"));
  }, config.workerPollMs);
  timer.unref();
  return { clock, stopClockSync: () => clearInterval(timer) };
}

/** Seeds the demo organisation into an empty database when the configuration asks for it. */
async function seedIfEmpty(config: Config, db: Db, clock: Clock, logger: Logger) {
  if (!config.seedDemo || !(await isEmpty(db))) return null;
  const demo = await seedDemo({ db, clock, publicUrl: config.publicUrl });
  logger.info({ event: "seed.demo" }, "demo organisation seeded");
  return demo;
}

/**
 * While the installation is empty (no Union, no operator), a one-time code for the first-run page
 * `/setup`, printed in the log so only whoever reads the server's log can claim the installation.
 */
export async function firstRunCode(db: Db, publicUrl: string, logger: Logger): Promise<string | null> {
  if (!(await isInstallationEmpty(db))) return null;
  const raw = randomBytes(6).toString("hex").toUpperCase();
  const code = `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
  logger.warn(
    { event: "setup.code", setupUrl: `${publicUrl}/setup`, code },
    `First set-up: open ${publicUrl}/setup and enter the setup code ${code} (or run npm run setup)`,
  );
  return code;
}

/**
 * The PDF renderer and the document service. Without a browser the app still starts; issued
 * documents wait in "issuing" and /readyz says why (checked by a real render).
 */
function startDocuments(config: Config, db: Db, clock: Clock, logger: Logger, blobCache: BlobCache) {
  const { renderer, unavailableReason } = startDocumentRendering(config, logger);
  const documents = createDocumentService({
    db,
    renderer,
    publicUrl: config.publicUrl,
    clock,
    overrideDir: path.join(config.dataDir, "templates"),
    unavailable: renderer ? undefined : (unavailableReason() ?? undefined),
    signingVault: keyVaultFor(config, logger),
    tsaUrl: config.tsaUrl,
    blobCache,
  });
  return { renderer, documents, unavailableReason };
}

/** After a rotation of TVPB_KEY_ENCRYPTION_KEY: seals the organisations' signing keys again with the new key. */
async function resealAfterRotation(db: Db, documents: DocumentService, logger: Logger) {
  if (!documents.signingVault) return;
  const { resealed, failed } = await resealSigningKeys(db, documents.signingVault);
  if (resealed || failed)
    logger.warn({ event: "signing.keys.resealed", resealed, failed }, "signing keys sealed again");
}

/**
 * The vault that seals signing keys: the operator's TVPB_KEY_ENCRYPTION_KEY; outside production a
 * key derived from SESSION_SECRET (said in the log); in production without it, none (uploads refused).
 */
function keyVaultFor(config: Config, logger: Logger): KeyVault | null {
  if (config.keyEncryptionKey)
    return createKeyVault(config.keyEncryptionKey, "environment", config.previousKeyEncryptionKey);
  if (config.env === "production") {
    logger.warn(
      { event: "signing.vault.missing" },
      "TVPB_KEY_ENCRYPTION_KEY is not set: signing keys cannot be stored",
    );
    return null;
  }
  logger.warn(
    { event: "signing.vault.development" },
    "TVPB_KEY_ENCRYPTION_KEY is not set: signing keys are sealed with a development key derived from SESSION_SECRET",
  );
  return developmentKeyVault(config.sessionSecret);
}

type WorkerDeps = {
  config: Config;
  database: Database;
  clock: Clock;
  logger: Logger;
  mailer: Mailer;
  renderer: PdfRenderer | null;
  documents: DocumentService;
  opts: StartOptions;
  blobCache: BlobCache;
};

/** The effect worker (mail, rendering, imports) and the deadline worker; `onCommitted` kicks the first. */
function createWorkers(deps: WorkerDeps) {
  const { config, database, clock, logger } = deps;
  const mailDeps: MailDeps = {
    db: database.db,
    clock,
    mailer: deps.mailer,
    templates: createEmailTemplates({ dir: path.join(root, "templates", "emails") }),
    publicUrl: config.publicUrl,
    linkSecret: config.sessionSecret,
    waitForDocuments: deps.renderer !== null,
    blobCache: deps.blobCache,
  };
  const effectWorker: EffectWorker = createEffectWorker({
    db: database.db,
    clock,
    logger,
    leaseMs: config.effectLeaseMs,
    // A mail that fails for good is reported to the secretariat (delivery.failed).
    onFailed: (effect, err) => reportMailFailure(mailDeps, effect, err),
    handlers: {
      mail: createSendMail(mailDeps),
      expertImport: createImportExperts({ db: database.db }),
      render: createRenderDocument({
        db: database.db,
        render: deps.renderer ? (id) => deps.documents.renderIssued(id) : null,
        unavailableReason: () => deps.documents.unavailableReason(),
      }),
      ...(deps.opts.handlers as Record<string, EffectHandler> | undefined),
    },
  });
  const onCommitted = () => effectWorker.kick();
  const deadlineWorker: DeadlineWorker = createDeadlineWorker({
    db: database.db,
    clock,
    logger,
    onFired: onCommitted,
    concurrency: database.kind === "postgres" ? 4 : 1,
  });
  return { effectWorker, deadlineWorker, onCommitted };
}

/** Listens on the configured host and port; the URL says `localhost` for 0.0.0.0. */
async function listen(app: Express, config: Config) {
  const server = createHttpServer(app, { keepAliveTimeoutMs: config.keepAliveTimeoutMs });
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const url = `http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${port}`;
  return { server, url, port };
}

/** Graceful stop, once: refuse new connections, finish requests and effects, close the database. */
function stopper(parts: {
  readiness: { ready: boolean };
  server: http.Server;
  workers: { effectWorker: EffectWorker; deadlineWorker: DeadlineWorker };
  mailer: Mailer;
  renderer: PdfRenderer | null;
  database: Database;
  logger: Logger;
  stopBackupRequests: () => void;
}): () => Promise<void> {
  let stopping: Promise<void> | null = null;
  return () => {
    stopping ??= (async () => {
      parts.readiness.ready = false;
      const closed = new Promise<void>((resolve) => parts.server.close(() => resolve()));
      parts.server.closeIdleConnections();
      await Promise.all([parts.workers.effectWorker.stop(), parts.workers.deadlineWorker.stop()]);
      await closed;
      await parts.mailer.close();
      await parts.renderer?.close();
      parts.stopBackupRequests();
      await parts.database.close();
      parts.logger.info({ event: "shutdown.done" }, "stopped");
    })();
    return stopping;
  };
}
