/** npm run db:migrate: applies pending migrations to DATABASE_URL, or to the embedded database in DATA_DIR. */
import { loadConfig } from "../server/config.js";
import { openDatabase } from "../server/db/connect.js";

const config = loadConfig();
const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
console.log(`Migrations applied (${db.kind}${db.kind === "pglite" ? `, ${config.dataDir}` : ""}).`);
await db.close();
