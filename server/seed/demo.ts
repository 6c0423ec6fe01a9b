/**
 * The first-run demo: one provincial Union with member associations, ordering agencies, a dozen
 * experts, one user per role, three assignments in different states, and the year's list with its
 * money (demoPlan.ts), driven through the same commands the API uses (so their history is real).
 * Never runs in production.
 */
import { eq, sql } from "drizzle-orm";
import type { Db } from "../db/connect.js";
import { agencies, experts, invitations, memberAssociations, organizations, users } from "../db/schema.js";
import { hashPassword } from "../auth/passwords.js";
import type { Actor, Role } from "../runtime/actor.js";
import type { Clock } from "../runtime/clock.js";
import { DEFAULT_SETTINGS, type OrgSettings } from "../settings.js";
import { expertSearchText } from "../commands/registry.js";
import { createOrder } from "../commands/createOrder.js";
import { sendAssignmentEvent } from "../commands/sendAssignmentEvent.js";
import { respondToInvitation } from "../commands/respondToInvitation.js";
import { saveOpinionDraft, submitOpinion } from "../commands/opinions.js";
import { actorFromUser } from "../http/auth.js";
import { SECOND_UNION_PEOPLE, seedSecondUnion } from "./demoSecondUnion.js";
import { DEMO_AGENCIES, DEMO_ASSOCIATIONS, DEMO_EXPERTS, DEMO_PEOPLE, DEMO_SETTINGS } from "./demoData.js";
import { seedDemoPlans } from "./demoPlan.js";

export const DEMO_PASSWORD = "tvpb-demo-2026";

type Rt = { db: Db; clock: Clock };
type Expert = typeof experts.$inferSelect;
type Agency = typeof agencies.$inferSelect;
/** The demo's people as actors of its commands. */
type Cast = { actor: (role: Role) => Actor; expert: (expertId: string) => Actor };

/** True when no organisation exists yet. */
export async function isEmpty(db: Db) {
  const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(organizations);
  return Number(n) === 0;
}

/**
 * Seeds the demo organisation and returns its log-ins (all with DEMO_PASSWORD). Throws what the
 * commands and the database throw (the database is expected to be empty).
 */
export async function seedDemo(deps: { db: Db; clock: Clock; publicUrl: string }) {
  const { db } = deps;
  const settings: OrgSettings = { ...DEFAULT_SETTINGS, ...DEMO_SETTINGS };
  const [org] = await db
    .insert(organizations)
    .values({
      slug: "tuyen-quang",
      province: "Tuyên Quang",
      name: "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Tuyên Quang",
      shortName: "Liên hiệp hội tỉnh Tuyên Quang",
      settings,
    })
    .returning();
  const ag = await db
    .insert(agencies)
    .values(DEMO_AGENCIES.map((a) => ({ organizationId: org.id, ...a })))
    .returning();
  const ex = await seedExperts(db, org.id, ag);
  const cast = await seedUsers(db, org.id, ag, ex);
  const rt = { db, clock: deps.clock };
  await seedOrdered(rt, cast);
  const underReviewId = await seedUnderReview(rt, cast, ag, ex);
  await seedScreening(rt, cast);
  await seedDemoPlans(rt, cast.actor, { agencyIds: ag.map((a) => a.id), chairExpertId: ex[3].id, underReviewId });
  await seedSecondUnion({ ...rt, password: DEMO_PASSWORD, firstUnionId: org.id });
  const [check] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(eq(users.organizationId, org.id));
  return {
    organizationId: org.id,
    password: DEMO_PASSWORD,
    users: [
      ...DEMO_PEOPLE.map((p) => ({ role: p.role as string, email: p.email, name: p.name })),
      ...SECOND_UNION_PEOPLE.map((p) => ({ role: p.role as string, email: p.email, name: p.name })),
    ],
    userCount: Number(check.n),
  };
}

/** The member associations and the expert registry (each expert in one association). */
async function seedExperts(db: Db, organizationId: string, ag: Agency[]): Promise<Expert[]> {
  const assoc = await db
    .insert(memberAssociations)
    .values(DEMO_ASSOCIATIONS.map(([name, shortName]) => ({ organizationId, name, shortName })))
    .returning();
  return db
    .insert(experts)
    .values(
      DEMO_EXPERTS.map(([fullName, academicTitle, degree, fields, workplace, a], i) => ({
        organizationId,
        fullName,
        academicTitle,
        degree,
        fields: [...fields],
        workplace,
        memberAssociationId: assoc[a].id,
        employerAgencyId: workplace.startsWith("Sở Khoa học") ? ag[2].id : null,
        email: `chuyengia${i + 1}@example.vn`,
        phone: `09${String(12345670 + i)}`,
        searchText: expertSearchText({ fullName, academicTitle, degree, fields: [...fields], workplace }),
      })),
    )
    .returning();
}

/** One user per role (three experts), and the actors the demo's commands run as. */
async function seedUsers(db: Db, organizationId: string, ag: Agency[], ex: Expert[]): Promise<Cast> {
  const hash = await hashPassword(DEMO_PASSWORD);
  const assoc = await db.select().from(memberAssociations).where(eq(memberAssociations.organizationId, organizationId));
  const associationId = (i: number | undefined) =>
    i === undefined ? null : assoc.find((a) => a.name === DEMO_ASSOCIATIONS[i][0])!.id;
  const us = await db
    .insert(users)
    .values(
      DEMO_PEOPLE.map((p) => ({
        organizationId,
        email: p.email,
        fullName: p.name,
        passwordHash: hash,
        roles: [p.role],
        agencyId: p.agency === undefined ? null : ag[p.agency].id,
        expertId: p.expert === undefined ? null : ex[p.expert].id,
        memberAssociationId: associationId(p.association),
      })),
    )
    .returning();
  return {
    actor: (role) => actorFromUser(us.find((u) => u.roles.includes(role))!),
    expert: (expertId) => ({
      kind: "user",
      id: null,
      organizationId,
      name: ex.find((e) => e.id === expertId)!.fullName,
      roles: ["expert"],
      agencyId: null,
      expertId,
      locale: "vi",
    }),
  };
}

function sender(rt: Rt, cast: Cast) {
  return (role: Role, id: string, event: { type: string } & Record<string, unknown>) =>
    sendAssignmentEvent(rt, { actor: cast.actor(role), assignmentId: id, event });
}

/** 1. Just ordered: a critique by a council, waiting for the clerk to register it. */
async function seedOrdered(rt: Rt, cast: Cast) {
  await createOrder(rt, {
    actor: cast.actor("agency"),
    input: {
      type: "critique",
      forms: ["council", "workshop"],
      subjectKind: "scheme",
      title: "Đề án phát triển cây dược liệu tỉnh Tuyên Quang giai đoạn 2026–2030, định hướng đến năm 2035",
      summary:
        "Phản biện dự thảo Đề án do Sở Nông nghiệp và Môi trường chủ trì xây dựng; Hội đồng 7 thành viên, có " +
        "hội thảo thực địa.",
      draftingAgency: "Sở Nông nghiệp và Môi trường tỉnh Tuyên Quang",
      orderNumber: "1234/UBND-KGVX",
      orderDate: "2026-11-16",
      requestedDeadline: "2027-01-15",
      budget: 45_000_000,
    },
  });
}

/** 2. Under review: a consultancy by an expert group of three, written opinions only; one opinion is in. */
async function seedUnderReview(rt: Rt, cast: Cast, ag: Agency[], ex: Expert[]) {
  const send = sender(rt, cast);
  const a2 = await createOrder(rt, {
    actor: cast.actor("secretariat"),
    input: {
      type: "consultancy",
      forms: ["expert_group", "written"],
      subjectKind: "plan",
      agencyId: ag[2].id,
      title: "Kế hoạch ứng dụng khoa học công nghệ và chuyển đổi số trong sản xuất nông nghiệp tỉnh Tuyên Quang",
      draftingAgency: "Sở Khoa học và Công nghệ tỉnh Tuyên Quang",
      orderNumber: "456/SKHCN-QLKH",
      orderDate: "2026-10-20",
      budget: 18_000_000,
      origin: "ordered",
    },
  });
  await send("clerk", a2.id, { type: "order.register" });
  await send("secretariat", a2.id, { type: "order.proposeAccept", note: "Đúng lĩnh vực, hồ sơ đầy đủ." });
  await send("leadership", a2.id, { type: "order.accept" });
  await send("secretariat", a2.id, {
    type: "plan.submit",
    workPlan:
      "Lấy ý kiến bằng văn bản của Tổ chuyên gia 3 người trong 15 ngày; tổng hợp và báo cáo trong 5 ngày làm việc.",
    costEstimate: 18_000_000,
    reviewDays: 15,
  });
  await seedPanel(rt, cast, a2.id, ex);
  await seedOpinion(rt, cast, a2.id, ex[3].id);
  return a2.id;
}

/** The panel of assignment 2: invited, every expert accepts, submitted and approved. */
async function seedPanel(rt: Rt, cast: Cast, assignmentId: string, ex: Expert[]) {
  const send = sender(rt, cast);
  await send("secretariat", assignmentId, {
    type: "panel.invite",
    members: [
      { expertId: ex[3].id, role: "chair" },
      { expertId: ex[2].id, role: "member" },
      { expertId: ex[0].id, role: "member" },
    ],
    alternates: [{ expertId: ex[4].id, role: "member" }],
  });
  const invs = await rt.db.select().from(invitations).where(eq(invitations.assignmentId, assignmentId));
  for (const inv of invs) {
    await respondToInvitation(rt, {
      actor: cast.expert(inv.expertId),
      invitationId: inv.id,
      event: { type: "invitation.accept", declaration: { noConflict: true, confidentiality: true } },
    });
  }
  await send("secretariat", assignmentId, { type: "panel.submit" });
  await send("leadership", assignmentId, { type: "panel.approve" });
}

/** The chair's written opinion on assignment 2, drafted and submitted. */
async function seedOpinion(rt: Rt, cast: Cast, assignmentId: string, expertId: string) {
  await saveOpinionDraft(rt, {
    actor: cast.expert(expertId),
    assignmentId,
    content: {
      general:
        "Kế hoạch có tính cấp thiết, phù hợp với chủ trương chuyển đổi số quốc gia và định hướng phát triển " +
        "nông nghiệp của tỉnh.",
      specific: [
        {
          section: "Mục III. Nhiệm vụ và giải pháp",
          comment: "Chưa có lộ trình hạ tầng dữ liệu dùng chung cho hợp tác xã.",
          suggestion: "Bổ sung nhiệm vụ xây dựng cơ sở dữ liệu nông nghiệp dùng chung, giao Sở KH&CN chủ trì.",
        },
      ],
      conclusion: "agree_with_revisions",
      recommendations: "Bổ sung chỉ tiêu định lượng cho từng năm.",
    },
  });
  await submitOpinion(rt, { actor: cast.expert(expertId), assignmentId });
}

/** 3. Screening, waiting for documents: a self-initiated critique of a draft HĐND resolution. */
async function seedScreening(rt: Rt, cast: Cast) {
  const a3 = await createOrder(rt, {
    actor: cast.actor("secretariat"),
    input: {
      type: "critique",
      forms: ["council"],
      subjectKind: "draft_resolution",
      origin: "self_initiated",
      title:
        "Dự thảo Nghị quyết của HĐND tỉnh quy định chính sách thu hút, trọng dụng trí thức, nhà khoa học trên " +
        "địa bàn tỉnh Tuyên Quang",
      draftingAgency: "Sở Nội vụ tỉnh Tuyên Quang",
    },
  });
  await sender(rt, cast)("clerk", a3.id, { type: "order.register" });
}
