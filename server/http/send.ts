/** Small answers every face sends the same way: files for download or inline display. */
import type { Response } from "express";

/**
 * Sends bytes as a file. `inline` lets the browser show it (PDFs), `attachment` saves it; the
 * name is sent RFC 5987-encoded, so Vietnamese names survive.
 */
export function sendDownload(
  res: Response,
  file: { bytes: Buffer; fileName: string; contentType: string; disposition: "inline" | "attachment" },
): void {
  res.setHeader("Content-Type", file.contentType);
  res.setHeader("Content-Disposition", `${file.disposition}; filename*=UTF-8''${encodeURIComponent(file.fileName)}`);
  res.send(file.bytes);
}
