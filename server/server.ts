/**
 * Starts and stops a whole TVPB process: database, workers, HTTP. main.ts calls it with the
 * configuration; tests call it too (for restart tests) with an injected clock and logger.
 */
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Logger } from "pino";
import { createLogger } from "./logger.js";
import type { Config } from "./config.js";
import { openDatabase, type Database } from "./db/connect.js";
import { createApp } from "./app.js";
import { systemClock, type Clock } from "./runtime/clock.js";
import { createEffectWorker, type EffectHandler } from "./runtime/effectWorker.js";
import { createDeadlineWorker } from "./runtime/deadlineWorker.js";
import { createMailer, type Mailer } from "./adapters/mailer.js";
import { createAcceptanceJournal, databaseAcceptanceStore } from "./adapters/acceptanceJournal.js";
import { createEmailTemplates } from "./mail/templates.js";
import { createSendMail, reportMailFailure, type MailDeps } from "./effects/sendMail.js";
import { createRenderDocument } from "./effects/renderDocument.js";
import { createImportExperts } from "./effects/importExperts.js";
import { seedDemo, isEmpty } from "./seed/demo.js";
import { ensureDigestTimers } from "./runtime/digest.js";
import { createPdfRenderer, findChromium } from "./adapters/pdf.js";
import { createDocumentService } from "./documents/service.js";

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

export async function startTvpb(opts: StartOptions) {
  const { config } = opts;
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger ?? createLogger({ level: config.logLevel });
  let ready = false;

  const database: Database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger });
  logger.info({ event: "db.ready", kind: database.kind }, "database ready");

  let demo: Awaited<ReturnType<typeof seedDemo>> | null = null;
  if (config.seedDemo && (await isEmpty(database.db))) {
    demo = await seedDemo({ db: database.db, clock, publicUrl: config.publicUrl });
    logger.info({ event: "seed.demo" }, "demo organisation seeded");
  }

  await ensureDigestTimers(database.db, clock);
  const journal = createAcceptanceJournal(databaseAcceptanceStore(database.db));
  const outboxDir = path.join(config.dataDir, "outbox");
  const mailer = opts.mailer ?? createMailer({ smtpUrl: config.smtpUrl, outboxDir, logger, journal });
  const templates = createEmailTemplates({ dir: path.join(root, "templates", "emails") });
  // Documents: without a browser the app still starts; issued documents wait in "issuing" and /readyz says why.
  const chromium = findChromium({ override: config.chromiumPath });
  if (chromium.path === null)
    logger.warn(
      { event: "documents.unavailable", reason: chromium.reason },
      `official documents cannot be rendered: ${chromium.reason}`,
    );
  const renderer = chromium.path
    ? createPdfRenderer({ executablePath: chromium.path, poolSize: 2, timeoutMs: 30_000, logger })
    : null;
  const documentService = createDocumentService({
    db: database.db,
    renderer,
    publicUrl: config.publicUrl,
    clock,
    overrideDir: path.join(config.dataDir, "templates"),
    unavailable: chromium.path === null ? chromium.reason : undefined,
  });
  const documentsUnavailable = () => documentService.unavailableReason();

  let effectWorker: ReturnType<typeof createEffectWorker>;
  const onCommitted = () => effectWorker?.kick();
  const mailDeps: MailDeps = {
    db: database.db,
    clock,
    mailer,
    templates,
    publicUrl: config.publicUrl,
    linkSecret: config.sessionSecret,
  };
  effectWorker = createEffectWorker({
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
        render: renderer ? (id) => documentService.renderIssued(id) : null,
        unavailableReason: documentsUnavailable,
      }),
      ...(opts.handlers as Record<string, EffectHandler> | undefined),
    },
  });
  const deadlineWorker = createDeadlineWorker({
    db: database.db,
    clock,
    logger,
    onFired: onCommitted,
    concurrency: database.kind === "postgres" ? 4 : 1,
  });

  const app = createApp({
    db: database.db,
    database,
    clock,
    logger,
    publicUrl: config.publicUrl,
    onCommitted,
    isReady: () => ready,
    documentsUnavailable,
    mail: {
      linkSecret: config.sessionSecret,
      ...(config.smtpUrl ? {} : { outboxDir: path.join(config.dataDir, "outbox") }),
    },
    documents: documentService,
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const url = `http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${port}`;
  if (opts.workers !== false) {
    effectWorker.start(config.workerPollMs);
    deadlineWorker.start(config.workerPollMs);
  }
  ready = true;
  logger.info({ event: "http.listening", url }, `TVPB is listening on ${url}`);

  let stopping: Promise<void> | null = null;
  /** Graceful stop: refuse new connections, finish requests and effects, close the database. */
  function stop(): Promise<void> {
    stopping ??= (async () => {
      ready = false;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await Promise.all([effectWorker.stop(), deadlineWorker.stop()]);
      await closed;
      await mailer.close();
      await renderer?.close();
      await database.close();
      logger.info({ event: "shutdown.done" }, "stopped");
    })();
    return stopping;
  }

  return { url, port, server, app, database, db: database.db, clock, logger, effectWorker, deadlineWorker, demo, stop };
}
