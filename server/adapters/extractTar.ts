/**
 * A small reader for the brotli-compressed tar archives of the npm Chromium (a few MB each):
 * regular files, folders and relative symbolic links, nothing outside the target folder.
 */
import { createReadStream } from "node:fs";
import { mkdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { createBrotliDecompress } from "node:zlib";

/**
 * Extracts `archive` (`.tar.br`) into `dir`.
 * @throws Error on a damaged archive or an entry that would land outside `dir`.
 */
export async function extractTar(archive: string, dir: string): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const c of createReadStream(archive).pipe(createBrotliDecompress())) chunks.push(c as Buffer);
  const tar = Buffer.concat(chunks);
  let longName: string | null = null;
  for (let at = 0; at + 512 <= tar.length;) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const size = parseInt(field(header, 124, 12) || "0", 8);
    const type = String.fromCharCode(header[156] || 48);
    const body = tar.subarray(at + 512, at + 512 + size);
    at += 512 + Math.ceil(size / 512) * 512;
    if (type === "L") {
      longName = body.toString("utf8").replace(/\0.*$/s, "");
      continue;
    }
    const prefix = field(header, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
    longName = null;
    const out = path.resolve(dir, name);
    if (out !== path.resolve(dir) && !out.startsWith(path.resolve(dir) + path.sep))
      throw new Error(`archive entry ${name} lies outside ${dir}`);
    if (type === "5") await mkdir(out, { recursive: true });
    else if (type === "0") {
      await mkdir(path.dirname(out), { recursive: true });
      await writeFile(out, body, { mode: parseInt(field(header, 100, 8) || "644", 8) & 0o755 });
    } else if (type === "2") {
      const link = field(header, 157, 100);
      if (path.isAbsolute(link) || link.split("/").includes("..")) continue;
      await mkdir(path.dirname(out), { recursive: true });
      await symlink(link, out);
    }
  }
}

function field(header: Buffer, offset: number, length: number): string {
  return header
    .subarray(offset, offset + length)
    .toString("utf8")
    .replace(/\0.*$/s, "")
    .trim();
}
