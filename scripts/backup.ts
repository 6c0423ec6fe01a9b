/**
 * `npm run backup [-- --out DIR]`: writes a consistent backup of this installation (the database
 * named by DATABASE_URL, or the embedded one in DATA_DIR, even while TVPB runs) into a new folder
 * under DIR (default ./backups) and prints its path. Reads the same environment as `npm start`.
 */
import { ConfigError, loadConfig } from "../server/config.js";
import { createBackup } from "../server/backup/createBackup.js";

const args = process.argv.slice(2);
const at = args.indexOf("--out");
const outDir = at >= 0 ? args[at + 1] : "backups";
if (!outDir || args.some((a, i) => a !== "--out" && i !== at + 1)) {
  console.error("usage: npm run backup [-- --out DIR]");
  process.exit(2);
}
try {
  const config = loadConfig();
  const { dir, manifest } = await createBackup({ config, outDir, log: (m) => console.error(`backup: ${m}`) });
  const rows = Object.values(manifest.database.tables).reduce((n, t) => n + t.rows, 0);
  console.error(`backup: ${rows} rows in ${Object.keys(manifest.database.tables).length} tables`);
  console.log(dir);
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : `backup failed: ${(err as Error).message}`);
  process.exit(1);
}
