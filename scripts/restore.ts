/**
 * `npm run restore -- <backup folder>`: restores a backup made by `npm run backup` into the EMPTY
 * database this environment names (DATABASE_URL, or DATA_DIR for the embedded one) and its stored
 * files into DATA_DIR; checks every table against the backup. Start TVPB afterwards.
 */
import { ConfigError, loadConfig } from "../server/config.js";
import { restoreBackup } from "../server/backup/restoreBackup.js";

const from = process.argv[2];
if (!from || process.argv.length > 3) {
  console.error("usage: npm run restore -- <backup folder>");
  process.exit(2);
}
try {
  const config = loadConfig();
  const manifest = await restoreBackup({ config, from, log: (m) => console.error(`restore: ${m}`) });
  console.log(`restored the backup of ${manifest.createdAt}`);
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : `restore failed: ${(err as Error).message}`);
  process.exit(1);
}
