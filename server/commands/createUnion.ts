/**
 * Creates a Union (the tenant) and, when given, its first administrator: the set-up script, the
 * first-run page and the installation operator all call it. The Union's full name, short name
 * (for the registers), place name (for the date line) and province go into its row and settings.
 */
import { and, eq } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import { organizations, users } from "../db/schema.js";
import { ConflictError, ValidationError } from "../errors.js";
import { hashPassword } from "../auth/passwords.js";
import { assertStrongPassword } from "../auth/passwordPolicy.js";
import { armDigest } from "../digest/digestTimer.js";
import type { Clock } from "../runtime/clock.js";
import { DEFAULT_SETTINGS, type OrgSettings } from "../settings.js";
import { foldVietnamese } from "../text.js";

export type UnionInput = {
  /** Full name, e.g. "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Tuyên Quang". */
  name: string;
  /** Short name for the registers (the issuer's abbreviation in numbers), e.g. "LHH". */
  shortName: string;
  /** Place name for the date line ("Tuyên Quang, ngày …"). */
  place: string;
  province: string;
  /** The Union's name in addresses (`organization` at sign-in); made from the province when absent. */
  slug?: string;
};

export type AdminInput = { email: string; fullName: string; password: string };

/** A slug from a province: "Tuyên Quang" → "tuyen-quang". */
export function slugOf(text: string): string {
  return foldVietnamese(text)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 60);
}

/**
 * Checks a Union's fields and its administrator's password before anything is written.
 * @throws ValidationError validation_failed naming the field, weak_password
 */
export function checkUnionInput(input: UnionInput, admin?: AdminInput): void {
  const need: Array<[keyof UnionInput, number]> = [
    ["name", 300],
    ["shortName", 20],
    ["place", 100],
    ["province", 100],
  ];
  for (const [field, max] of need) {
    const v = String(input[field] ?? "").trim();
    if (!v || v.length > max)
      throw new ValidationError("validation_failed", `Trường ${field} bắt buộc, tối đa ${max} ký tự.`, field);
  }
  const slug = input.slug ?? slugOf(input.province);
  if (!/^[a-z0-9][a-z0-9-]{1,59}$/.test(slug))
    throw new ValidationError("validation_failed", "Tên viết tắt trong địa chỉ chỉ gồm a-z, 0-9 và dấu gạch.", "slug");
  if (!admin) return;
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(admin.email.trim()))
    throw new ValidationError("validation_failed", "Địa chỉ thư điện tử không hợp lệ.", "adminEmail");
  if (!admin.fullName.trim())
    throw new ValidationError("validation_failed", "Họ tên quản trị viên bắt buộc.", "adminName");
  assertStrongPassword(admin.password, admin.email, "adminPassword");
}

/**
 * Writes the Union (and its administrator) on `db`, which may be the caller's transaction.
 * @throws ValidationError (see checkUnionInput), ConflictError union_exists when the slug is taken
 */
export async function createUnion(
  deps: { db: Executor; clock: Clock },
  props: { input: UnionInput; admin?: AdminInput },
) {
  const { input, admin } = props;
  checkUnionInput(input, admin);
  const slug = input.slug ?? slugOf(input.province);
  const [taken] = await deps.db
    .select({ id: organizations.id })
    .from(organizations)
    .where(eq(organizations.slug, slug));
  if (taken) throw new ConflictError("union_exists", `Đã có Liên hiệp hội với địa chỉ "${slug}".`);
  const name = input.name.trim();
  const settings: OrgSettings = {
    ...DEFAULT_SETTINGS,
    issuerName: name.toLocaleUpperCase("vi"),
    issuerAbbr: input.shortName.trim(),
    place: input.place.trim(),
  };
  const [org] = await deps.db
    .insert(organizations)
    .values({ slug, name, shortName: input.shortName.trim(), province: input.province.trim(), settings })
    .returning();
  await armDigest(deps.db, org.id, deps.clock.now());
  const adminUser = admin ? await insertAdmin(deps.db, org.id, admin) : null;
  return { organization: org, admin: adminUser };
}

/**
 * Adds an administrator to a Union (its first one, made by the operator or the set-up).
 * @throws ValidationError weak_password, ConflictError email_taken
 */
export async function insertAdmin(db: Executor, organizationId: string, admin: AdminInput) {
  assertStrongPassword(admin.password, admin.email, "adminPassword");
  const email = admin.email.trim().toLowerCase();
  const [dup] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.organizationId, organizationId), eq(users.email, email)));
  if (dup) throw new ConflictError("email_taken", "Địa chỉ thư điện tử đã được dùng.");
  const [row] = await db
    .insert(users)
    .values({
      organizationId,
      email,
      fullName: admin.fullName.trim(),
      roles: ["admin"],
      passwordHash: await hashPassword(admin.password),
    })
    .returning();
  return row;
}
