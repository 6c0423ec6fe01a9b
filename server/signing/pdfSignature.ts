/** Whether PDF bytes carry a digital signature (a signature dictionary with a /ByteRange). */
export function isSignedPdf(bytes: Buffer): boolean {
  // Searched in the bytes themselves: a 224 KiB PDF decoded to a string first cost more than the search.
  const key = Buffer.from("/ByteRange");
  for (let at = bytes.indexOf(key); at >= 0; at = bytes.indexOf(key, at + key.length)) {
    let i = at + key.length;
    while (i < bytes.length && isPdfWhitespace(bytes[i])) i++;
    if (bytes[i] === 0x5b) return true; // "["
  }
  return false;
}

/** PDF white-space characters (ISO 32000-1 §7.2.2): NUL, tab, LF, FF, CR, space. */
function isPdfWhitespace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09 || b === 0x0c || b === 0x00;
}
