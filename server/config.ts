/**
 * The only reader of process.env. Parses every setting with zod, lists every problem at once.
 */
import { accessSync, constants, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { z } from "zod";
import { parseKeyEncryptionKey } from "./signing/keyVault.js";
import { parseClockOffset } from "./runtime/clock.js";

const bool = z.enum(["true", "false", "1", "0", "yes", "no"]).transform((v) => ["true", "1", "yes"].includes(v));

/** An idle keep-alive connection's life when HTTP_KEEP_ALIVE_TIMEOUT_MS is not set: more than nginx's 60 s. */
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 65_000;

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  HOST: z.string().default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.string().url().optional(),
  DATA_DIR: z.string().default("./data"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must start with postgres://")
    .optional(),
  SESSION_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  SEED_DEMO: bool.optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "must start with smtp:// or smtps://")
    .optional(),
  MAIL_FROM: z.string().email().optional(),
  CHROMIUM_PATH: z.string().optional(),
  CHROMIUM_SOURCE: z.enum(["auto", "system", "bundled", "none"]).default("auto"),
  CHROMIUM_CACHE_DIR: z.string().optional(),
  RENDER_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  RENDERER_NICE: z.coerce.number().int().min(0).max(19).default(0),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(1000).max(290_000).default(DEFAULT_KEEP_ALIVE_TIMEOUT_MS),
  WORKER_POLL_MS: z.coerce.number().int().min(10).default(1000),
  EFFECT_LEASE_MS: z.coerce.number().int().min(1000).default(30_000),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).optional(),
  PGLITE_SHARED_BUFFERS: z
    .string()
    .regex(/^[1-9]\d{0,5}(MB|GB)$/, "must be a size in MB or GB, such as 32MB")
    .optional(),
  TRUST_PROXY: z
    .string()
    .regex(/^[0-9A-Za-z.:/,\s]{1,500}$/, "false, true, a hop count, or addresses/CIDRs such as loopback,10.0.0.1")
    .optional(),
  TVPB_KEY_ENCRYPTION_KEY: z
    .string()
    .refine(
      (v) => parseKeyEncryptionKey(v) !== null,
      "must be 32 random bytes, base64 or hex (openssl rand -base64 32)",
    )
    .optional(),
  TVPB_KEY_ENCRYPTION_KEY_PREVIOUS: z
    .string()
    .refine((v) => parseKeyEncryptionKey(v) !== null, "must be 32 random bytes, base64 or hex")
    .optional(),
  TSA_URL: z.string().url().optional(),
  TVPB_CLOCK_OFFSET: z.string().optional(),
});

export type Config = {
  env: "development" | "test" | "production";
  host: string;
  port: number;
  publicUrl: string;
  dataDir: string;
  databaseUrl: string | undefined;
  sessionSecret: string;
  logLevel: string;
  seedDemo: boolean;
  smtpUrl: string | undefined;
  mailFrom: string | undefined;
  /** An explicit browser; checked at start-up (a wrong path is a configuration error, never a fallback). */
  chromiumPath: string | undefined;
  /**
   * Where to look for a browser without CHROMIUM_PATH: system then the npm one, only one of them,
   * or `none` (documents turned off: issued documents wait, /readyz says why).
   */
  chromiumSource: "auto" | "system" | "bundled" | "none";
  /** Where the npm-shipped Chromium is unpacked once (default DATA_DIR/chromium). */
  chromiumCacheDir: string;
  /** The deadline of one PDF render, in milliseconds. */
  renderTimeoutMs: number;
  /**
   * How long an idle keep-alive connection is kept open (HTTP_KEEP_ALIVE_TIMEOUT_MS, default 65 s): longer
   * than a proxy's or client's own idle limit (nginx's upstream keepalive_timeout is 60 s), so that the
   * server never closes a connection at the moment the other side sends on it.
   */
  keepAliveTimeoutMs?: number;
  /** The nice value of the PDF browser's processes (0: as the server's; server/adapters/processPriority.ts). */
  rendererNice?: number;
  workerPollMs: number;
  /** How long a claimed effect stays claimed without a heartbeat (another process takes it after). */
  effectLeaseMs?: number;
  /** PostgreSQL connections per process: DATABASE_POOL_MAX, else `defaultPoolMax()` (unset: 20). */
  databasePoolMax?: number;
  /** The embedded database's buffer cache (PGLITE_SHARED_BUFFERS, e.g. "64MB"); unset: 32MB (server/db/connect.ts). */
  pgliteSharedBuffers?: string;
  /** Which proxies' X-Forwarded-For is believed (Express "trust proxy"); false unless TRUST_PROXY says. */
  trustProxy?: boolean | number | string;
  /** Seals the organisations' signing keys at rest; without it production refuses to store one. */
  keyEncryptionKey?: Buffer;
  /** The key being rotated out: still opens what it sealed; keys are sealed again with the new one at start. */
  previousKeyEncryptionKey?: Buffer;
  /** An RFC 3161 timestamp authority: signatures then reach PAdES B-T. */
  tsaUrl?: string;
  /** How far ahead of the real time the installation's clock starts (demos; never in production). */
  clockOffsetMs?: number;
};

/** Thrown with every problem found, so an operator fixes them in one go. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/**
 * Reads the configuration from an environment (process.env by default).
 * @throws ConfigError listing every invalid or missing setting.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = EnvSchema.safeParse(cleaned);
  const problems: string[] = [];
  if (!parsed.success)
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join(".")}: ${issue.message}`);
  // Production requirements are checked on the raw values too, so every problem shows at once.
  if (cleaned.NODE_ENV === "production") {
    const has = (k: string) => cleaned[k] !== undefined;
    const named = (k: string) => problems.some((p) => p.startsWith(`${k}:`));
    if (!has("SESSION_SECRET") && !named("SESSION_SECRET"))
      problems.push("SESSION_SECRET: required in production (32+ random characters)");
    if (!has("PUBLIC_URL") && !named("PUBLIC_URL"))
      problems.push("PUBLIC_URL: required in production (the address users open, e.g. https://tvpb.example.vn)");
    if (!has("DATABASE_URL") && !named("DATABASE_URL"))
      problems.push(
        "DATABASE_URL: required in production (postgres://…); the embedded database is for trying TVPB out",
      );
    if (["true", "1", "yes"].includes(cleaned.SEED_DEMO ?? ""))
      problems.push("SEED_DEMO: production never seeds demo data");
    if (cleaned.TVPB_CLOCK_OFFSET) problems.push("TVPB_CLOCK_OFFSET: the clock cannot be moved in production");
  }
  const offset = cleaned.TVPB_CLOCK_OFFSET ? parseClockOffset(cleaned.TVPB_CLOCK_OFFSET) : 0;
  if (offset === null && cleaned.NODE_ENV !== "production")
    problems.push("TVPB_CLOCK_OFFSET: a forward offset such as 3d, 12h, 1d6h or a number of hours");
  const browser = cleaned.CHROMIUM_PATH ? executableProblem(cleaned.CHROMIUM_PATH) : null;
  if (browser) problems.push(`CHROMIUM_PATH: ${browser}`);
  if (problems.length || !parsed.success) throw new ConfigError(problems);
  const e = parsed.data;
  const port = e.PORT;
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ""),
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    // Development only: a fixed, clearly named secret so sessions survive restarts of the demo.
    sessionSecret: e.SESSION_SECRET ?? "development-only-secret-do-not-use-in-production!",
    logLevel: e.LOG_LEVEL,
    seedDemo: e.NODE_ENV === "production" ? false : (e.SEED_DEMO ?? e.NODE_ENV === "development"),
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    chromiumPath: e.CHROMIUM_PATH ? path.resolve(e.CHROMIUM_PATH) : undefined,
    chromiumSource: e.CHROMIUM_SOURCE,
    chromiumCacheDir: path.resolve(e.CHROMIUM_CACHE_DIR ?? path.join(e.DATA_DIR, "chromium")),
    renderTimeoutMs: e.RENDER_TIMEOUT_MS,
    rendererNice: e.RENDERER_NICE,
    keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    workerPollMs: e.WORKER_POLL_MS,
    effectLeaseMs: e.EFFECT_LEASE_MS,
    trustProxy: trustProxyOf(e.TRUST_PROXY),
    databasePoolMax: e.DATABASE_POOL_MAX ?? defaultPoolMax(),
    pgliteSharedBuffers: e.PGLITE_SHARED_BUFFERS,
    keyEncryptionKey: e.TVPB_KEY_ENCRYPTION_KEY ? parseKeyEncryptionKey(e.TVPB_KEY_ENCRYPTION_KEY)! : undefined,
    previousKeyEncryptionKey: e.TVPB_KEY_ENCRYPTION_KEY_PREVIOUS
      ? parseKeyEncryptionKey(e.TVPB_KEY_ENCRYPTION_KEY_PREVIOUS)!
      : undefined,
    tsaUrl: e.TSA_URL,
    clockOffsetMs: offset ?? 0,
  };
}

/** TRUST_PROXY as Express takes it: unset or "false" → false, "true" → true, "2" → 2 hops, else the list. */
function trustProxyOf(v: string | undefined): boolean | number | string {
  const s = (v ?? "").trim();
  if (!s || s === "false") return false;
  if (s === "true") return true;
  return /^\d+$/.test(s) ? Number(s) : s;
}

/** Why `file` cannot be run as the browser (missing, a directory, not executable), or null. */
function executableProblem(file: string): string | null {
  try {
    const st = statSync(file);
    if (st.isDirectory()) return `${file} is a directory, not the browser program (name the chromium file itself)`;
    if (!st.isFile()) return `${file} is not a regular file`;
    accessSync(file, constants.X_OK);
    return null;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return `${file} does not exist (install Chromium or correct the path)`;
    if (code === "EACCES") return `${file} is not executable by this user`;
    return `${file} cannot be used: ${(err as Error).message}`;
  }
}

/**
 * PostgreSQL connections per process when DATABASE_POOL_MAX is unset: two per CPU core, between 4
 * and 20 (4 on a 2-core machine). On the mixed-load benchmark a pool of 8 instead of 20 on 2 cores cut
 * p99 from about 3.2 s to 1.4 s and the slowest request from about 11 s to 3 s (docs/BENCHMARKS.md,
 * "Mixed load"); 4 instead of 8 gave the event path more events per second and a shorter p99, and the
 * mixed load a lower median ("The load's tail and the event path's p99, eighth session"): more
 * connections than cores only make the backends, Node and Chromium fight, and every runnable backend
 * takes CPU from the one Node thread all requests go through. A PostgreSQL on another machine may want
 * more: set DATABASE_POOL_MAX.
 */
export function defaultPoolMax(cores = availableParallelism()): number {
  return Math.min(20, Math.max(4, 2 * cores));
}
