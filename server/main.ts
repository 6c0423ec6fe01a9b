/** Boot: config → database → workers → listen. The only place that reads the environment. */
import { pgliteWasmModule } from "./db/pgliteWasm.js";

// On the embedded database, PGlite's WebAssembly compiles on V8's background threads while the
// main thread loads the rest of the code below (about a third of a second of a start; BENCHMARKS.md).
if (!process.env.DATABASE_URL) void pgliteWasmModule();
const [{ ConfigError, loadConfig }, { startTvpb }, { createLogger, readableLogStream, scrubSecrets }] =
  await Promise.all([import("./config.js"), import("./server.js"), import("./logger.js")]);

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78);
    }
    throw err;
  }
  // In development on a terminal: short readable lines, and the banner once the start-up work is
  // logged (the log quiet for 3 s, 20 s at most), so the address and log-ins stay on screen.
  const readable = config.env === "development" && process.stdout.isTTY ? readableLogStream(process.stdout) : null;
  const logger = readable ? createLogger({ level: config.logLevel, destination: readable }) : undefined;
  const tvpb = await startTvpb({ config, logger });
  await readable?.whenQuiet(3000, 20_000);
  if (tvpb.demo) {
    console.log(
      `\nTVPB đang chạy tại ${config.publicUrl.includes("localhost") ? tvpb.url : config.publicUrl}\nTài khoản ` +
        `demo (mật khẩu chung: ${tvpb.demo.password}):`,
    );
    for (const u of tvpb.demo.users) console.log(`  ${u.role.padEnd(24)} ${u.email.padEnd(34)} ${u.name}`);
    console.log("");
  }
  if (tvpb.setupCode)
    console.log(
      `\nThiết lập lần đầu / first set-up: ${config.publicUrl}/setup — mã thiết lập / setup code: ${tvpb.setupCode}` +
        `\n(hoặc / or: npm run setup)\n`,
    );
  let signals = 0;
  const shutdown = (sig: string) => {
    if (signals++) process.exit(1);
    tvpb.logger.info({ event: "shutdown.start", signal: sig }, "shutting down");
    tvpb.stop().then(
      () => process.exit(0),
      (err) => {
        console.error(scrubSecrets(err instanceof Error ? (err.stack ?? err.message) : String(err)));
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

main().catch((err) => {
  console.error(scrubSecrets(err instanceof Error ? err.message : String(err)));
  process.exit(1);
});
