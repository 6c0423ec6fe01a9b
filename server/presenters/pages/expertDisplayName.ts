/**
 * An expert's name as pages show it: academic title, degree and full name ("PGS. TS. Nguyễn Văn
 * A"). The pages' one place for it; words is making the shared function, which this should call.
 */
export function expertDisplayName(e: { academicTitle?: string | null; degree?: string | null; fullName: string }) {
  return [e.academicTitle, e.degree, e.fullName].filter(Boolean).join(" ");
}
