/**
 * The organisation's registries: experts, users and API tokens. Admin (and, for experts, the
 * secretariat) manage them; every row is scoped to the organisation.
 */
import { and, eq } from "drizzle-orm";
import type { Db } from "../db/connect.js";
import { agencies, apiTokens, experts, memberAssociations, users } from "../db/schema.js";
import { ConflictError, NotFoundError, ValidationError } from "../errors.js";
import type { Actor, Role } from "../runtime/actor.js";
import { requireRole } from "../policies/assignmentPolicy.js";
import { foldVietnamese } from "../text.js";
import { requireOneLine } from "./requireOneLine.js";
import { hashPassword, newSecret } from "../auth/passwords.js";
import { forgetCachedActors } from "../queries/findActor.js";

export type ExpertInput = {
  fullName: string;
  academicTitle?: string | null;
  degree?: string | null;
  fields?: string[];
  workplace?: string | null;
  memberAssociationId?: string | null;
  employerAgencyId?: string | null;
  email?: string | null;
  phone?: string | null;
  active?: boolean;
};

export const expertSearchText = (e: ExpertInput) =>
  foldVietnamese([e.fullName, e.academicTitle ?? "", e.degree ?? "", ...(e.fields ?? []), e.workplace ?? ""].join(" "));

async function checkRefs(db: Db, orgId: string, e: ExpertInput) {
  if (e.memberAssociationId) {
    const [m] = await db
      .select()
      .from(memberAssociations)
      .where(and(eq(memberAssociations.id, e.memberAssociationId), eq(memberAssociations.organizationId, orgId)));
    if (!m)
      throw new ValidationError(
        "member_association_not_found",
        "Không tìm thấy hội thành viên.",
        "memberAssociationId",
      );
  }
  if (e.employerAgencyId) {
    const [a] = await db
      .select()
      .from(agencies)
      .where(and(eq(agencies.id, e.employerAgencyId), eq(agencies.organizationId, orgId)));
    if (!a) throw new ValidationError("agency_not_found", "Không tìm thấy cơ quan.", "employerAgencyId");
  }
}

/** Adds an expert to the registry. @throws ForbiddenError, ValidationError */
export async function createExpert(db: Db, props: { actor: Actor; input: ExpertInput }) {
  requireRole(props.actor, "admin", "secretariat");
  requireExpertLines(props.input);
  await checkRefs(db, props.actor.organizationId, props.input);
  const [row] = await db
    .insert(experts)
    .values({
      ...props.input,
      fields: props.input.fields ?? [],
      organizationId: props.actor.organizationId,
      searchText: expertSearchText(props.input),
    })
    .returning();
  return row;
}

/** Updates an expert. @throws ForbiddenError, NotFoundError expert_not_found, ValidationError */
export async function updateExpert(db: Db, props: { actor: Actor; id: string; input: Partial<ExpertInput> }) {
  requireRole(props.actor, "admin", "secretariat");
  const [cur] = await db
    .select()
    .from(experts)
    .where(and(eq(experts.id, props.id), eq(experts.organizationId, props.actor.organizationId)));
  if (!cur) throw new NotFoundError("expert_not_found", "Không tìm thấy chuyên gia.");
  requireExpertLines(props.input);
  const merged = { ...cur, ...props.input } as ExpertInput;
  await checkRefs(db, props.actor.organizationId, merged);
  const [row] = await db
    .update(experts)
    .set({ ...props.input, searchText: expertSearchText(merged) })
    .where(eq(experts.id, cur.id))
    .returning();
  return row;
}

/** The expert's name and one-line fields (the name reaches mail headers). @throws ValidationError */
function requireExpertLines(e: Partial<ExpertInput>) {
  const { fullName, academicTitle, degree, workplace, email, phone } = e;
  requireOneLine({ fullName, academicTitle, degree, workplace, email, phone });
  (e.fields ?? []).forEach((f) => requireOneLine({ fields: f }));
}

export type UserInput = {
  email: string;
  fullName: string;
  password?: string;
  roles: Role[];
  agencyId?: string | null;
  expertId?: string | null;
  /** The member association an `association` user speaks for. */
  memberAssociationId?: string | null;
  locale?: "vi" | "en";
};

/**
 * The links a user's roles need: an agency user its agency, an expert their expert record, an
 * association user its member association; each link of this organisation.
 * @throws ValidationError agency_required | expert_required | association_required | agency_not_found |
 *   member_association_not_found
 */
async function checkUserLinks(db: Db, orgId: string, u: Partial<UserInput> & { roles: Role[] }) {
  if (u.roles.includes("agency") && !u.agencyId)
    throw new ValidationError(
      "agency_required",
      "Người dùng của cơ quan đặt hàng cần gắn với một cơ quan.",
      "agencyId",
    );
  if (u.roles.includes("expert") && !u.expertId)
    throw new ValidationError(
      "expert_required",
      "Tài khoản chuyên gia cần gắn với một chuyên gia trong danh sách.",
      "expertId",
    );
  if (u.roles.includes("association") && !u.memberAssociationId)
    throw new ValidationError(
      "association_required",
      "Người dùng của hội thành viên cần gắn với một hội thành viên.",
      "memberAssociationId",
    );
  await checkRefs(db, orgId, {
    fullName: "",
    employerAgencyId: u.agencyId ?? null,
    memberAssociationId: u.memberAssociationId ?? null,
  });
}

/** Creates a user. @throws ForbiddenError, ConflictError email_taken, ValidationError */
export async function createUser(db: Db, props: { actor: Actor; input: UserInput }) {
  requireRole(props.actor, "admin");
  const { input } = props;
  requireOneLine({ fullName: input.fullName, email: input.email });
  const email = input.email.trim().toLowerCase();
  await checkUserLinks(db, props.actor.organizationId, input);
  if (input.expertId) {
    const [e] = await db
      .select()
      .from(experts)
      .where(and(eq(experts.id, input.expertId), eq(experts.organizationId, props.actor.organizationId)));
    if (!e) throw new ValidationError("expert_not_found", "Không tìm thấy chuyên gia.", "expertId");
  }
  const [dup] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.organizationId, props.actor.organizationId), eq(users.email, email)));
  if (dup) throw new ConflictError("email_taken", "Địa chỉ thư điện tử đã được dùng.");
  const [row] = await db
    .insert(users)
    .values({
      organizationId: props.actor.organizationId,
      email,
      fullName: input.fullName,
      roles: input.roles,
      agencyId: input.agencyId ?? null,
      expertId: input.expertId ?? null,
      memberAssociationId: input.memberAssociationId ?? null,
      locale: input.locale ?? "vi",
      passwordHash: input.password ? await hashPassword(input.password) : null,
    })
    .returning();
  return row;
}

/** Issues an API token for the actor; the secret is shown once. */
export async function createApiToken(db: Db, props: { actor: Actor; name: string }) {
  if (!props.actor.id) throw new ValidationError("user_required", "Cần đăng nhập bằng tài khoản người dùng.");
  const { token, hash } = newSecret("tvpb_");
  const [row] = await db
    .insert(apiTokens)
    .values({ organizationId: props.actor.organizationId, userId: props.actor.id, name: props.name, tokenHash: hash })
    .returning();
  return { id: row.id, name: row.name, token, createdAt: row.createdAt };
}

/** Revokes one of the actor's tokens. @throws NotFoundError token_not_found */
export async function revokeApiToken(db: Db, props: { actor: Actor; id: string; now: Date }) {
  const rows = await db
    .update(apiTokens)
    .set({ revokedAt: props.now })
    .where(
      and(
        eq(apiTokens.id, props.id),
        eq(apiTokens.userId, props.actor.id ?? ""),
        eq(apiTokens.organizationId, props.actor.organizationId),
      ),
    )
    .returning();
  if (!rows.length) throw new NotFoundError("token_not_found", "Không tìm thấy mã truy cập.");
  // The token stops working at once in this process (other processes: within TOKEN_CACHE_TTL_MS).
  forgetCachedActors();
}

/**
 * Updates a user's name, roles, links, language or active flag (admin). @throws ForbiddenError, NotFoundError
 * user_not_found, ValidationError
 */
export async function updateUser(
  db: Db,
  props: { actor: Actor; id: string; input: Partial<Omit<UserInput, "email" | "password">> & { active?: boolean } },
) {
  requireRole(props.actor, "admin");
  const [cur] = await db
    .select()
    .from(users)
    .where(and(eq(users.id, props.id), eq(users.organizationId, props.actor.organizationId)));
  if (!cur) throw new NotFoundError("user_not_found", "Không tìm thấy người dùng.");
  requireOneLine({ fullName: props.input.fullName });
  const next = { ...cur, ...props.input };
  await checkUserLinks(db, props.actor.organizationId, next as Partial<UserInput> & { roles: Role[] });
  if (
    props.id === props.actor.id &&
    (props.input.active === false || (props.input.roles && !props.input.roles.includes("admin")))
  ) {
    throw new ConflictError("cannot_demote_self", "Không thể tự khóa hoặc bỏ quyền quản trị của chính mình.");
  }
  const [row] = await db.update(users).set(props.input).where(eq(users.id, cur.id)).returning();
  forgetCachedActors();
  return row;
}

/** Adds an ordering agency (admin, secretariat). */
export async function createAgency(
  db: Db,
  props: {
    actor: Actor;
    input: { name: string; shortName?: string | null; email?: string | null; address?: string | null };
  },
) {
  requireRole(props.actor, "admin", "secretariat");
  requireOneLine({ name: props.input.name, shortName: props.input.shortName, email: props.input.email });
  const [row] = await db
    .insert(agencies)
    .values({ ...props.input, organizationId: props.actor.organizationId })
    .returning();
  return row;
}

/** Adds a member association (admin). */
export async function createMemberAssociation(
  db: Db,
  props: { actor: Actor; input: { name: string; shortName?: string | null } },
) {
  requireRole(props.actor, "admin");
  requireOneLine({ name: props.input.name, shortName: props.input.shortName });
  const [row] = await db
    .insert(memberAssociations)
    .values({ ...props.input, organizationId: props.actor.organizationId })
    .returning();
  return row;
}
