/**
 * A small streaming ZIP writer (PKZIP 2.0, no ZIP64): each entry is written as soon as it is
 * added (deflated, or stored when that is not smaller), so an archive of any number of entries
 * needs the memory of one entry, and the central directory at the end. CRC-32 from node:zlib.
 * Limits: entries and the archive under 4 GiB, at most 65 535 entries.
 */
import { once } from "node:events";
import type { Writable } from "node:stream";
import { crc32, deflateRawSync } from "node:zlib";

type Entry = { name: Buffer; crc: number; method: number; size: number; stored: number; offset: number; dos: number };

/** DOS date and time of `at` (UTC), as ZIP stores them. */
function dosTime(at: Date): number {
  const time = (at.getUTCHours() << 11) | (at.getUTCMinutes() << 5) | Math.floor(at.getUTCSeconds() / 2);
  const date = ((at.getUTCFullYear() - 1980) << 9) | ((at.getUTCMonth() + 1) << 5) | at.getUTCDate();
  return ((date << 16) | time) >>> 0;
}

/** The local file header that comes before an entry's bytes, with its name. */
function localHeader(e: Entry): Buffer {
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(20, 4);
  h.writeUInt16LE(0x0800, 6); // UTF-8 names
  h.writeUInt16LE(e.method, 8);
  h.writeUInt32LE(e.dos, 10);
  h.writeUInt32LE(e.crc, 14);
  h.writeUInt32LE(e.stored, 18);
  h.writeUInt32LE(e.size, 22);
  h.writeUInt16LE(e.name.length, 26);
  return Buffer.concat([h, e.name]);
}

/** An entry's record in the central directory, with its name. */
function centralHeader(e: Entry): Buffer {
  const c = Buffer.alloc(46);
  c.writeUInt32LE(0x02014b50, 0);
  c.writeUInt16LE(20, 4);
  c.writeUInt16LE(20, 6);
  c.writeUInt16LE(0x0800, 8);
  c.writeUInt16LE(e.method, 10);
  c.writeUInt32LE(e.dos, 12);
  c.writeUInt32LE(e.crc, 16);
  c.writeUInt32LE(e.stored, 20);
  c.writeUInt32LE(e.size, 24);
  c.writeUInt16LE(e.name.length, 28);
  c.writeUInt32LE(e.offset, 42);
  return Buffer.concat([c, e.name]);
}

/** The end of central directory record: how many entries, the directory's size and where it starts. */
function endOfDirectory(count: number, size: number, start: number): Buffer {
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(size, 12);
  end.writeUInt32LE(start, 16);
  return end;
}

/** Writes a ZIP archive to `out`. */
export function createZipWriter(out: Writable, at = new Date()) {
  const entries: Entry[] = [];
  let offset = 0;
  const dos = dosTime(at);

  async function write(chunk: Buffer) {
    offset += chunk.length;
    if (out.destroyed) throw new Error("the reader went away");
    if (!out.write(chunk))
      await Promise.race([
        once(out, "drain"),
        once(out, "close").then(() => Promise.reject(new Error("the reader went away"))),
      ]);
  }

  return {
    /** Adds one file. @throws Error past the format's limits */
    async add(name: string, bytes: Buffer): Promise<void> {
      if (entries.length >= 0xffff || offset + bytes.length > 0xfffffff0) throw new Error("zip too large");
      const deflated = deflateRawSync(bytes);
      const useDeflate = deflated.length < bytes.length;
      const body = useDeflate ? deflated : bytes;
      const e: Entry = {
        name: Buffer.from(name, "utf8"),
        crc: crc32(bytes),
        method: useDeflate ? 8 : 0,
        size: bytes.length,
        stored: body.length,
        offset,
        dos,
      };
      entries.push(e);
      await write(localHeader(e));
      await write(body);
    },
    /** Writes the central directory and ends `out`. */
    async finish(): Promise<void> {
      const start = offset;
      for (const e of entries) {
        await write(centralHeader(e));
      }
      const end = endOfDirectory(entries.length, offset - start, start);
      offset += end.length;
      await new Promise<void>((resolve) => out.end(end, resolve));
    },
  };
}
