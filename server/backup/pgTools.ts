/**
 * Running PostgreSQL's own tools (pg_dump, pg_restore) for a DATABASE_URL: the newest installed
 * version (a dump needs a pg_dump at least as new as the server), and the connection passed in
 * PG* environment variables so the password never shows in the process list.
 */
import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";

/** The path of `tool`: Debian's versioned folders (newest first), then the PATH. */
export function findPgTool(tool: "pg_dump" | "pg_restore"): string {
  const base = "/usr/lib/postgresql";
  const versions = existsSync(base)
    ? readdirSync(base)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  for (const v of versions) {
    const file = path.join(base, v, "bin", tool);
    if (existsSync(file)) return file;
  }
  for (const dir of (process.env.PATH ?? "").split(":")) {
    const file = path.join(dir, tool);
    if (dir && existsSync(file)) return file;
  }
  throw new Error(`${tool} not found: install PostgreSQL's client tools (apt-get install postgresql-client)`);
}

/** PG* variables for a postgres:// URL. */
export function pgEnv(url: string): Record<string, string> {
  const u = new URL(url);
  const env: Record<string, string> = {
    PGHOST: decodeURIComponent(u.hostname) || "localhost",
    PGPORT: u.port || "5432",
    PGDATABASE: decodeURIComponent(u.pathname.replace(/^\//, "")),
  };
  if (u.username) env.PGUSER = decodeURIComponent(u.username);
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  const ssl = u.searchParams.get("sslmode");
  if (ssl) env.PGSSLMODE = ssl;
  return env;
}

/**
 * Runs a PostgreSQL tool against `url`.
 * @throws Error with the tool's own message when it fails.
 */
export function runPgTool(tool: "pg_dump" | "pg_restore", url: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      findPgTool(tool),
      args,
      { env: { ...process.env, ...pgEnv(url) }, maxBuffer: 16 * 1024 * 1024 },
      (err, _stdout, stderr) => {
        if (err) reject(new Error(`${tool} failed: ${stderr.trim() || err.message}`));
        else resolve();
      },
    );
  });
}
