/**
 * The process's logger (pino, JSON lines) and what keeps secrets out of it. Request logs carry no
 * headers but the user agent (`requestSerializers`: no Authorization, Cookie, Set-Cookie or CSRF
 * header reaches a log), and every string a log line carries — its message, its fields, an error's
 * message and stack — goes through `scrubSecrets`, which blanks Bearer and API tokens, session and
 * form cookies, CSRF and link tokens in URLs, signed link tokens wherever they appear, and
 * passwords in connection URLs. Workers, the mailer and the error handler log through it too.
 */
import pino, { type DestinationStream, type Logger } from "pino";

/** What a secret is replaced with. */
export const REDACTED = "[redacted]";

const PATTERNS: Array<[RegExp, string]> = [
  // Authorization: Bearer <token>
  [/\b(Bearer\s+)[^\s"',;]+/gi, `$1${REDACTED}`],
  // API tokens (newSecret("tvpb_")), wherever they are quoted
  [/\btvpb_(?!session\b|form\b|lang\b)[A-Za-z0-9_-]{20,}/g, REDACTED],
  // session and link-form cookies: tvpb_session=…, tvpb_form=…
  [/\b(tvpb_(?:session|form)=)[^;\s"',]+/g, `$1${REDACTED}`],
  // secrets in query strings and form bodies: ?token=…, &_csrf=…
  [/([?&;](?:token|_csrf|csrf|csrfToken|password|secret|nonce)=)[^&\s"'#;]*/gi, `$1${REDACTED}`],
  // signed action tokens (base64url JSON "{"v":1…" + "." + signature), e.g. pasted into a path
  [/\beyJ[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/g, REDACTED],
  // user:password@ in connection URLs (postgres://, smtp://)
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]+@/gi, `$1${REDACTED}@`],
];

/** `text` with every secret it carries replaced by `[redacted]`. Throws nothing. */
export function scrubSecrets(text: string): string {
  let out = text;
  for (const [re, by] of PATTERNS) out = out.replace(re, by);
  return out;
}

/** A log line's fields with their strings (and errors' message and stack) scrubbed; other values untouched. */
function scrubFields(obj: Record<string, unknown>): Record<string, unknown> {
  return scrubObject(obj, 0);
}

function scrubObject(obj: Record<string, unknown>, depth: number): Record<string, unknown> {
  let out: Record<string, unknown> | null = null;
  for (const [key, value] of Object.entries(obj)) {
    const clean = scrubValue(value, depth);
    if (clean !== value) (out ??= { ...obj })[key] = clean;
  }
  return out ?? obj;
}

/** Strings, errors, and plain objects and arrays a few levels deep; anything else (a request) as it is. */
function scrubValue(value: unknown, depth: number): unknown {
  if (typeof value === "string") return scrubSecrets(value);
  if (value instanceof Error)
    return { type: value.name, message: scrubSecrets(value.message), stack: scrubSecrets(value.stack ?? "") };
  if (depth >= 3 || !value || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const items = value.map((v) => scrubValue(v, depth + 1));
    return items.some((v, i) => v !== value[i]) ? items : value;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null
    ? scrubObject(value as Record<string, unknown>, depth + 1)
    : value;
}

/** Header paths that never reach a log, whichever serializer put them there (a second line of defence). */
const REDACT_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  "headers.authorization",
  "headers.cookie",
  'headers["set-cookie"]',
  'headers["x-csrf-token"]',
];

/**
 * The process's logger: `level` (pino's names), JSON lines to stdout or `destination`, `base`
 * fields on every line, secrets scrubbed (see the module comment).
 */
export function createLogger(opts: { level: string; destination?: DestinationStream; base?: object }): Logger {
  const options: pino.LoggerOptions = {
    level: opts.level,
    base: opts.base ?? { service: "tvpb" },
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    formatters: { log: scrubFields },
    hooks: {
      logMethod(args, method) {
        const clean = args.map((a) => (typeof a === "string" ? scrubSecrets(a) : a));
        method.apply(this, clean as Parameters<typeof method>);
      },
    },
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}

type SerializedRequest = {
  id?: unknown;
  method?: string;
  url?: string;
  remoteAddress?: string;
  headers?: Record<string, unknown>;
};

/**
 * pino-http's request and response serializers: the method, the URL with its secrets scrubbed,
 * the client address and user agent; the status code. No other header is logged.
 */
export const requestSerializers = {
  req: (req: SerializedRequest) => ({
    id: req.id,
    method: req.method,
    url: scrubSecrets(req.url ?? ""),
    remoteAddress: req.remoteAddress,
    userAgent: req.headers?.["user-agent"],
  }),
  res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
};

const LEVEL_NAMES: Record<number, string> = {
  10: "TRACE",
  20: "DEBUG",
  30: "INFO",
  40: "WARN",
  50: "ERROR",
  60: "FATAL",
};

/** Fields a readable line leaves out: the same on every line, or shown in its own place. */
const SAID = new Set(["service", "pid", "hostname", "time", "level", "msg", "event", "req", "res", "responseTime"]);

type LogRecord = {
  time?: number;
  level?: number;
  msg?: string;
  event?: string;
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
  responseTime?: number;
  err?: { message?: string };
} & Record<string, unknown>;

const fieldText = (v: unknown) => {
  const text = typeof v === "object" && v !== null ? JSON.stringify(v) : String(v);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
};

/**
 * One JSON log line as a short line for a person at a terminal (development): the time, then for a
 * request its method, URL, status and duration (never a header), else the level, the message and
 * the other fields. A line that is not JSON is kept as it is. Secrets were scrubbed before.
 */
export function readableLine(json: string): string {
  let o: LogRecord;
  try {
    o = JSON.parse(json) as LogRecord;
  } catch {
    return json.trimEnd();
  }
  const time = new Date(o.time ?? Date.now()).toTimeString().slice(0, 8);
  const level = LEVEL_NAMES[o.level ?? 30] ?? String(o.level);
  const failed = (o.level ?? 30) >= 40 && o.err?.message ? `  ${o.err.message}` : "";
  if (o.req && o.res) {
    const ms = Math.round(o.responseTime ?? 0);
    return `${time} ${o.req.method} ${o.req.url} → ${o.res.statusCode} ${ms} ms${failed}`;
  }
  const extra = Object.entries(o)
    .filter(([k, v]) => !SAID.has(k) && k !== "err" && v !== undefined && !(o.msg ?? "").includes(String(v)))
    .map(([k, v]) => `${k}=${fieldText(v)}`)
    .join(" ");
  return `${time} ${level.padEnd(5)} ${o.msg ?? o.event ?? ""}${failed}${extra ? `  ${extra}` : ""}`;
}

/** A destination of readable lines that also says when the log has gone quiet (for the start-up banner). */
export type ReadableLogStream = DestinationStream & {
  /** Resolves once nothing was written for `quietMs` (or after `maxMs` at most). */
  whenQuiet(quietMs: number, maxMs: number): Promise<void>;
};

/** A pino destination that writes readable lines (see `readableLine`) to `out`, e.g. a terminal. */
export function readableLogStream(out: { write(text: string): unknown }): ReadableLogStream {
  let last = Date.now();
  return {
    write: (line: string) => {
      last = Date.now();
      out.write(`${readableLine(line)}\n`);
    },
    whenQuiet: (quietMs, maxMs) =>
      new Promise<void>((resolve) => {
        const until = Date.now() + maxMs;
        const check = () => (Date.now() - last >= quietMs || Date.now() >= until ? resolve() : setTimeout(check, 100));
        check();
      }),
  };
}
