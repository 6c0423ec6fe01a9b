/**
 * Verification helpers for issued documents: the SHA-256 of the bytes, a short code people can
 * type, and a QR code pointing at the public /verify page.
 */
import { createHash, randomBytes } from "node:crypto";
import { crc32, deflateSync } from "node:zlib";

/** Crockford-like base32 without the look-alikes 0/O and 1/I (32 symbols). */
const ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/** SHA-256 of the bytes as lowercase hex. Never throws. */
export function sha256Hex(data: Buffer | Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/** JSON with object keys sorted at every level, so the same content always gives the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

/**
 * The content code printed on an issued document and shown by /verify: the first 64 bits of the
 * SHA-256 of the frozen view model's canonical JSON, as `9F2C-4E1B-7A0D-3C5E`. It names what the
 * document says, not the PDF file (a file cannot print its own hash); /verify recomputes it from the
 * stored view model and shows the file's SHA-256 separately. Never throws.
 */
export function contentCodeOf(vm: unknown): string {
  const hex = sha256Hex(canonicalJson(vm)).slice(0, 16).toUpperCase();
  return hex.match(/.{4}/g)!.join("-");
}

/**
 * A random 10-character code grouped as `K7QX-3MPD-9A` (50 bits; no 0/O/1/I so it survives being
 * read aloud or retyped). Uniqueness is the caller's job (a unique index). Never throws.
 */
export function makeVerifyCode(): string {
  const bytes = randomBytes(10);
  let code = "";
  for (const b of bytes) code += ALPHABET[b & 31];
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}

/** Normalises what a person typed (case, spaces, dashes) to the canonical grouped form, or null. */
export function normalizeVerifyCode(input: string): string | null {
  const raw = input.toUpperCase().replace(/[\s-]/g, "");
  if (raw.length !== 10 || [...raw].some((c) => !ALPHABET.includes(c))) return null;
  return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
}

/**
 * A PNG data URL of a QR code for `url`, to embed in the issued document's HTML: 240 px square,
 * error correction M, a margin of one module, black on white — the pixels the qrcode package's
 * `toDataURL` draws, written as an 8-bit greyscale PNG with the native zlib instead of its RGBA
 * PNG encoder in JavaScript (about a tenth of the CPU, on every issue).
 * @throws Error from the qrcode package when the text is too long for a QR code.
 */
export async function qrDataUrl(url: string): Promise<string> {
  const { default: QRCode } = await import("qrcode"); // loaded on first use: start-up time
  const { modules } = QRCode.create(url, { errorCorrectionLevel: "M" });
  return `data:image/png;base64,${qrPng(modules, QR_WIDTH, QR_MARGIN).toString("base64")}`;
}

const QR_WIDTH = 240;
const QR_MARGIN = 1;

/** The modules scaled to `width` pixels as the qrcode package samples them (utils.qrToImageData). */
function qrPng(modules: { size: number; data: Uint8Array }, width: number, margin: number): Buffer {
  const { size, data } = modules;
  const scale = width >= size + margin * 2 ? width / (size + margin * 2) : 4;
  const side = Math.floor((size + margin * 2) * scale);
  const edge = margin * scale;
  const raw = Buffer.alloc((side + 1) * side, 0xff);
  for (let i = 0; i < side; i++) {
    const row = i * (side + 1);
    raw[row] = 0; // filter: none
    if (i < edge || i >= side - edge) continue;
    const src = Math.floor((i - edge) / scale) * size;
    for (let j = Math.ceil(edge); j < side - edge; j++)
      if (data[src + Math.floor((j - edge) / scale)]) raw[row + 1 + j] = 0;
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale, deflate, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", header),
    pngChunk("IDAT", deflateSync(raw)),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

function pngChunk(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, "ascii");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])) >>> 0, 0);
  return Buffer.concat([head, body, crc]);
}
