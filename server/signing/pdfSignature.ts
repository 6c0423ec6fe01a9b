/** Whether PDF bytes carry a digital signature (a signature dictionary with a /ByteRange). */
export function isSignedPdf(bytes: Buffer): boolean {
  return /\/ByteRange\s*\[/.test(bytes.toString("latin1"));
}
