/**
 * The stored files that live outside the database, in DATA_DIR: organisations' own document
 * templates (`templates/`) and the mail outbox (`outbox/`: .eml files and the SMTP journal).
 * Copied into and out of a backup's `files/` folder, each with its SHA-256 in the manifest.
 */
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

/** The DATA_DIR folders a backup carries. */
export const STORED_FOLDERS = ["templates", "outbox"];

/** One copied file: its path under DATA_DIR (with /), size and SHA-256. */
export type StoredFile = { path: string; size: number; sha256: string };

export const sha256File = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

function walk(dir: string, base: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return walk(full, base);
    return e.isFile() ? [path.relative(base, full).split(path.sep).join("/")] : [];
  });
}

/** Copies the stored folders of `dataDir` into `<backupDir>/files`; returns what it copied. */
export function copyStoredFiles(dataDir: string, backupDir: string): StoredFile[] {
  const files = STORED_FOLDERS.flatMap((f) => walk(path.join(dataDir, f), dataDir)).sort();
  return files.map((rel) => {
    const from = path.join(dataDir, rel);
    const to = path.join(backupDir, "files", rel);
    mkdirSync(path.dirname(to), { recursive: true });
    copyFileSync(from, to);
    return { path: rel, size: statSync(to).size, sha256: sha256File(to) };
  });
}

/** The stored files already in `dataDir` (a restore refuses to mix them with a backup's). */
export function existingStoredFiles(dataDir: string): string[] {
  return STORED_FOLDERS.flatMap((f) => walk(path.join(dataDir, f), dataDir));
}

/** Copies a backup's files into `dataDir`. */
export function restoreStoredFiles(backupDir: string, files: StoredFile[], dataDir: string): void {
  for (const f of files) {
    const to = path.join(dataDir, f.path);
    mkdirSync(path.dirname(to), { recursive: true });
    copyFileSync(path.join(backupDir, "files", f.path), to);
  }
}
