/**
 * The demo's second Union (Hà Giang), so isolation between Unions can be seen on one installation:
 * its own people, agencies and one order with the same title as one of Tuyên Quang's; a person
 * with an account in both Unions (she chooses at sign-in); and the installation's operator.
 */
import type { Db } from "../db/connect.js";
import { agencies, experts, operators, organizations, users } from "../db/schema.js";
import { hashPassword } from "../auth/passwords.js";
import type { Clock } from "../runtime/clock.js";
import { DEFAULT_SETTINGS, type OrgSettings } from "../settings.js";
import { expertSearchText } from "../commands/registry.js";
import { createOrder } from "../commands/createOrder.js";
import { actorFromUser } from "../queries/findActor.js";

/** The e-mail of the person with an account in both demo Unions. */
export const DEMO_SHARED_EMAIL = "chuyengia.chung@demo.tvpb.vn";

/** The second Union's log-ins, the shared person and the operator (all with the demo password). */
export const SECOND_UNION_PEOPLE = [
  { role: "admin (Hà Giang)", email: "quantri@hagiang.demo.tvpb.vn", name: "Quản trị Liên hiệp hội Hà Giang" },
  { role: "secretariat (Hà Giang)", email: "banthuky@hagiang.demo.tvpb.vn", name: "Vàng Thị Mỷ (Ban TVPB)" },
  { role: "agency (Hà Giang)", email: "coquan@hagiang.demo.tvpb.vn", name: "Lù Văn Sình (Văn phòng UBND tỉnh)" },
  { role: "expert (both)", email: DEMO_SHARED_EMAIL, name: "TS. Ma Thị Chung (cả hai Liên hiệp hội)" },
  { role: "operator", email: "vanhanh@demo.tvpb.vn", name: "Người vận hành hệ thống" },
] as const;

const SHARED_EXPERT = {
  fullName: "Ma Thị Chung",
  degree: "TS.",
  fields: ["Lâm nghiệp"],
  workplace: "Trường Đại học Tân Trào",
};

/** Seeds the second Union; `firstUnionId` gets the shared person too. Throws what the database throws. */
export async function seedSecondUnion(deps: { db: Db; clock: Clock; password: string; firstUnionId: string }) {
  const { db } = deps;
  const hash = await hashPassword(deps.password);
  const { org, agency } = await insertUnion(db);
  const [p0, p1, p2] = SECOND_UNION_PEOPLE;
  const [agencyUser] = await db
    .insert(users)
    .values([
      {
        organizationId: org.id,
        email: p2.email,
        fullName: p2.name,
        passwordHash: hash,
        roles: ["agency"],
        agencyId: agency.id,
      },
      { organizationId: org.id, email: p0.email, fullName: p0.name, passwordHash: hash, roles: ["admin"] },
      { organizationId: org.id, email: p1.email, fullName: p1.name, passwordHash: hash, roles: ["secretariat"] },
    ])
    .returning();
  await insertSharedPerson(db, [deps.firstUnionId, org.id], hash);
  await db
    .insert(operators)
    .values({ email: SECOND_UNION_PEOPLE[4].email, fullName: SECOND_UNION_PEOPLE[4].name, passwordHash: hash });
  await placeSameTitledOrder(db, deps.clock, agencyUser);
  return org.id;
}

/** The Hà Giang Union with its settings, and its province's People's Committee as an agency. */
async function insertUnion(db: Db) {
  const settings: OrgSettings = {
    ...DEFAULT_SETTINGS,
    issuerName: "LIÊN HIỆP CÁC HỘI KHOA HỌC VÀ KỸ THUẬT TỈNH HÀ GIANG",
    place: "Hà Giang",
    mail: { fromName: "Liên hiệp các Hội KH&KT tỉnh Hà Giang", fromAddress: "tvpb@lhh-hagiang.vn" },
  };
  const [org] = await db
    .insert(organizations)
    .values({
      slug: "ha-giang",
      name: "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Hà Giang",
      shortName: "Liên hiệp hội tỉnh Hà Giang",
      province: "Hà Giang",
      settings,
    })
    .returning();
  const [agency] = await db
    .insert(agencies)
    .values({
      organizationId: org.id,
      name: "Ủy ban nhân dân tỉnh Hà Giang",
      shortName: "UBND tỉnh",
      email: "ubnd@hagiang.gov.vn",
    })
    .returning();
  return { org, agency };
}

/** The shared person: an expert with an account in each of the given Unions. */
async function insertSharedPerson(db: Db, organizationIds: string[], hash: string) {
  const shared = SECOND_UNION_PEOPLE[3];
  for (const organizationId of organizationIds) {
    const [ex] = await db
      .insert(experts)
      .values({
        organizationId,
        ...SHARED_EXPERT,
        email: DEMO_SHARED_EMAIL,
        searchText: expertSearchText(SHARED_EXPERT),
      })
      .returning();
    await db.insert(users).values({
      organizationId,
      email: shared.email,
      fullName: shared.name,
      passwordHash: hash,
      roles: ["expert"],
      expertId: ex.id,
    });
  }
}

/** An order with the same title as one of Tuyên Quang's, so the two Unions are seen not to see each other. */
async function placeSameTitledOrder(db: Db, clock: Clock, agencyUser: typeof users.$inferSelect) {
  await createOrder(
    { db, clock },
    {
      actor: actorFromUser(agencyUser),
      input: {
        type: "critique",
        forms: ["council", "workshop"],
        subjectKind: "scheme",
        title: "Đề án phát triển cây dược liệu tỉnh Tuyên Quang giai đoạn 2026–2030, định hướng đến năm 2035",
        summary: "Cùng tên với một đề án của Liên hiệp hội Tuyên Quang, để thấy hai Liên hiệp hội không thấy nhau.",
        orderNumber: "88/UBND-KGVX",
        orderDate: "2026-11-18",
      },
    },
  );
}
