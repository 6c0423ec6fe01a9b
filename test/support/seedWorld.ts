/**
 * Seeds an organisation with users for every role (and API tokens) on any Db, for tests that do
 * not go through createWorld (restart tests on a DATA_DIR, a second PostgreSQL database).
 */
import { randomUUID } from "node:crypto";
import { agencies, apiTokens, experts, organizations, users } from "../../server/db/schema.js";
import type { Db } from "../../server/db/connect.js";
import { DEFAULT_SETTINGS, type OrgSettings } from "../../server/settings.js";
import { newSecret } from "../../server/auth/passwords.js";
import { expertSearchText } from "../../server/commands/registry.js";
import type { Role } from "../../server/runtime/actor.js";

/** Adds one user with the given roles and returns it with a fresh Bearer token. */
export async function addUser(
  db: Db,
  organizationId: string,
  over: { roles: Role[]; agencyId?: string | null; expertId?: string | null; fullName?: string },
) {
  const tag = randomUUID().slice(0, 8);
  const [u] = await db
    .insert(users)
    .values({
      organizationId,
      email: `${over.roles.join("-")}-${tag}@test.vn`,
      fullName: over.fullName ?? `Người dùng ${tag}`,
      roles: over.roles,
      agencyId: over.agencyId ?? null,
      expertId: over.expertId ?? null,
    })
    .returning();
  const { token, hash } = newSecret("tvpb_");
  await db.insert(apiTokens).values({ organizationId, userId: u.id, name: "test", tokenHash: hash });
  return { user: u, token };
}

/** A fresh organisation: one agency, `expertCount` experts with accounts, one user per staff role. */
export async function seedWorld(db: Db, opts: { expertCount?: number; settings?: Partial<OrgSettings> } = {}) {
  const tag = randomUUID().slice(0, 8);
  const settings: OrgSettings = {
    ...DEFAULT_SETTINGS,
    place: "Tuyên Quang",
    minPanel: { council: 3, expert_group: 2, workshop: 2, written: 2 },
    minOpinions: { council: 3, expert_group: 2, workshop: 2, written: 2 },
    mail: { fromName: "Liên hiệp hội", fromAddress: "tvpb@test.vn" },
    ...opts.settings,
  };
  const [org] = await db
    .insert(organizations)
    .values({ slug: `org-${tag}`, name: `Liên hiệp hội thử nghiệm ${tag}`, shortName: "LHH", settings })
    .returning();
  const [agency] = await db
    .insert(agencies)
    .values({ organizationId: org.id, name: "Ủy ban nhân dân tỉnh", email: `ubnd-${tag}@test.vn` })
    .returning();
  const ex = await db
    .insert(experts)
    .values(
      Array.from({ length: opts.expertCount ?? 3 }, (_, i) => {
        const fullName = `Chuyên gia số ${i + 1}`;
        return {
          organizationId: org.id,
          fullName,
          degree: "TS.",
          fields: ["Dược liệu"],
          email: `expert${i}-${tag}@test.vn`,
          searchText: expertSearchText({ fullName, degree: "TS.", fields: ["Dược liệu"] }),
        };
      }),
    )
    .returning();
  const tokens: Record<string, string> = {};
  for (const role of ["agency", "secretariat", "leadership", "clerk", "admin"] as Role[]) {
    tokens[role] = (await addUser(db, org.id, { roles: [role], agencyId: role === "agency" ? agency.id : null })).token;
  }
  for (const [i, e] of ex.entries())
    tokens[`expert${i}`] = (
      await addUser(db, org.id, { roles: ["expert"], expertId: e.id, fullName: e.fullName })
    ).token;
  return { org, agency, experts: ex, tokens };
}
