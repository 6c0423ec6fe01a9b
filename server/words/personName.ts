/**
 * How a person is named on every page, mail and document: academic title and degree, then the
 * full name — "PGS.TS. Nguyễn Văn A", "TS. Trần Thị B", "Lê Văn C".
 */

/** The parts of a person's name the registry keeps (an expert row has all three). */
export type NameParts = { fullName: string; academicTitle?: string | null; degree?: string | null };

/**
 * The display name: title and degree written together as Vietnamese documents print them
 * ("PGS." + "TS." → "PGS.TS."), then the full name. A title that already holds the degree
 * ("PGS.TS.") is not repeated.
 */
export function personName(p: NameParts): string {
  const title = (p.academicTitle ?? "").trim();
  const degree = (p.degree ?? "").trim();
  const squash = (s: string) => s.replace(/\s+/g, "").toLowerCase();
  const prefix = degree && squash(title).endsWith(squash(degree)) ? title : `${title}${degree}`;
  return prefix ? `${prefix} ${p.fullName}` : p.fullName;
}
