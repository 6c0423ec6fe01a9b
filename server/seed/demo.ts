/**
 * The first-run demo: one provincial Union with member associations, ordering agencies, a dozen
 * experts, one user per role and three assignments in different states, driven through the same
 * commands the API uses (so their history is real). Never runs in production.
 */
import { and, eq, sql } from "drizzle-orm";
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

export const DEMO_PASSWORD = "tvpb-demo-2026";

/** True when no organisation exists yet. */
export async function isEmpty(db: Db) {
  const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(organizations);
  return Number(n) === 0;
}

export async function seedDemo(deps: { db: Db; clock: Clock; publicUrl: string }) {
  const { db } = deps;
  const settings: OrgSettings = {
    ...DEFAULT_SETTINGS,
    issuerName: "LIÊN HIỆP CÁC HỘI KHOA HỌC VÀ KỸ THUẬT TỈNH TUYÊN QUANG",
    place: "Tuyên Quang",
    address: "Số 8 đường Tân Trào, phường Minh Xuân, tỉnh Tuyên Quang",
    email: "lienhiephoi@tuyenquang.gov.vn",
    phone: "0207 3822 468",
    signers: [
      {
        key: "chairman",
        name: "Nguyễn Văn Thắng",
        title: "CHỦ TỊCH",
        authority: "TM.",
        authorityTitle: "BAN THƯỜNG VỤ",
      },
      { key: "vice", name: "Hoàng Thị Thu Hường", title: "PHÓ CHỦ TỊCH", authority: "KT.", authorityTitle: "CHỦ TỊCH" },
    ],
    mail: { fromName: "Liên hiệp các Hội KH&KT tỉnh Tuyên Quang", fromAddress: "tvpb@lhh-tuyenquang.vn" },
    minPanel: { council: 5, expert_group: 3, workshop: 3, written: 3 },
    minOpinions: { council: 5, expert_group: 3, workshop: 2, written: 3 },
  };
  const [org] = await db
    .insert(organizations)
    .values({
      slug: "tuyen-quang",
      name: "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Tuyên Quang",
      shortName: "Liên hiệp hội tỉnh Tuyên Quang",
      settings,
    })
    .returning();

  const assoc = await db
    .insert(memberAssociations)
    .values([
      { organizationId: org.id, name: "Hội Làm vườn tỉnh Tuyên Quang", shortName: "Hội Làm vườn" },
      { organizationId: org.id, name: "Hội Đông y tỉnh Tuyên Quang", shortName: "Hội Đông y" },
      { organizationId: org.id, name: "Hội Xây dựng tỉnh Tuyên Quang", shortName: "Hội Xây dựng" },
      { organizationId: org.id, name: "Hội Tin học tỉnh Tuyên Quang", shortName: "Hội Tin học" },
      { organizationId: org.id, name: "Hội Kinh tế và Luật tỉnh Tuyên Quang", shortName: "Hội Kinh tế – Luật" },
    ])
    .returning();

  const ag = await db
    .insert(agencies)
    .values([
      {
        organizationId: org.id,
        name: "Ủy ban nhân dân tỉnh Tuyên Quang",
        shortName: "UBND tỉnh",
        email: "ubnd@tuyenquang.gov.vn",
        address: "Số 160 đường Trần Hưng Đạo, phường Minh Xuân, tỉnh Tuyên Quang",
      },
      {
        organizationId: org.id,
        name: "Sở Nông nghiệp và Môi trường tỉnh Tuyên Quang",
        shortName: "Sở NN&MT",
        email: "snnmt@tuyenquang.gov.vn",
      },
      {
        organizationId: org.id,
        name: "Sở Khoa học và Công nghệ tỉnh Tuyên Quang",
        shortName: "Sở KH&CN",
        email: "skhcn@tuyenquang.gov.vn",
      },
      {
        organizationId: org.id,
        name: "Sở Xây dựng tỉnh Tuyên Quang",
        shortName: "Sở Xây dựng",
        email: "sxd@tuyenquang.gov.vn",
      },
    ])
    .returning();

  const expertData = [
    ["Nguyễn Thị Phương Thảo", "PGS.", "TS.", ["Dược liệu", "Thực vật học"], "Trường Đại học Tân Trào", 1],
    ["Trần Đức Hưng", "GS.", "TS.", ["Nông nghiệp", "Khoa học đất"], "Viện Thổ nhưỡng Nông hóa", 0],
    ["Lê Minh Châu", null, "TS.", ["Kinh tế nông nghiệp"], "Trường Đại học Kinh tế Quốc dân", 4],
    ["Phạm Quốc Khánh", null, "ThS.", ["Chuyển đổi số", "Hệ thống thông tin"], "Viễn thông Tuyên Quang", 3],
    ["Đỗ Thị Ngọc Ánh", null, "TS.", ["Luật hành chính", "Chính sách công"], "Học viện Hành chính Quốc gia", 4],
    ["Vũ Văn Đạt", "PGS.", "TS.", ["Thủy lợi", "Công trình thủy"], "Trường Đại học Thủy lợi", 2],
    ["Hoàng Thị Lan", null, "BSCKII.", ["Y học cổ truyền"], "Bệnh viện Y dược cổ truyền tỉnh", 1],
    ["Ngô Quang Vinh", null, "KS.", ["Quy hoạch đô thị", "Kiến trúc"], "Hội Xây dựng tỉnh", 2],
    ["Bùi Thị Hằng", null, "TS.", ["Môi trường", "Đa dạng sinh học"], "Trường Đại học Tân Trào", 0],
    ["Ma Văn Sơn", null, "ThS.", ["Lâm nghiệp", "Dược liệu"], "Trung tâm Khuyến nông tỉnh", 0],
    ["Nông Thị Thúy", null, "TS.", ["Xã hội học", "Dân tộc học"], "Viện Dân tộc học", 4],
    ["Lương Văn Phúc", null, "ThS.", ["Công nghệ thông tin"], "Sở Khoa học và Công nghệ tỉnh Tuyên Quang", 3],
  ] as const;
  const ex = await db
    .insert(experts)
    .values(
      expertData.map(([fullName, academicTitle, degree, fields, workplace, a], i) => ({
        organizationId: org.id,
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

  const hash = await hashPassword(DEMO_PASSWORD);
  const people: Array<{ role: Role; email: string; name: string; agencyId?: string; expertId?: string }> = [
    { role: "agency", email: "coquan@demo.tvpb.vn", name: "Lý Thị Mai (Văn phòng UBND tỉnh)", agencyId: ag[0].id },
    { role: "secretariat", email: "banthuky@demo.tvpb.vn", name: "Đặng Văn Toàn (Ban TVPB)" },
    { role: "expert", email: "chuyengia@demo.tvpb.vn", name: "PGS.TS. Nguyễn Thị Phương Thảo", expertId: ex[0].id },
    { role: "expert", email: "chuyengia2@demo.tvpb.vn", name: "GS.TS. Trần Đức Hưng", expertId: ex[1].id },
    { role: "expert", email: "chuyengia3@demo.tvpb.vn", name: "TS. Lê Minh Châu", expertId: ex[2].id },
    { role: "leadership", email: "lanhdao@demo.tvpb.vn", name: "Nguyễn Văn Thắng (Chủ tịch)" },
    { role: "clerk", email: "vanthu@demo.tvpb.vn", name: "Triệu Thị Hoa (Văn thư)" },
    { role: "admin", email: "quantri@demo.tvpb.vn", name: "Quản trị hệ thống" },
  ];
  const us = await db
    .insert(users)
    .values(
      people.map((p) => ({
        organizationId: org.id,
        email: p.email,
        fullName: p.name,
        passwordHash: hash,
        roles: [p.role],
        agencyId: p.agencyId ?? null,
        expertId: p.expertId ?? null,
      })),
    )
    .returning();
  const actor = (role: Role) => actorFromUser(us.find((u) => u.roles.includes(role))!);
  const expertActor = (expertId: string): Actor => ({
    kind: "user",
    id: null,
    organizationId: org.id,
    name: ex.find((e) => e.id === expertId)!.fullName,
    roles: ["expert"],
    agencyId: null,
    expertId,
    locale: "vi",
  });
  const rt = { db, clock: deps.clock };

  // 1. Just ordered: a critique by a council, waiting for the clerk to register it.
  await createOrder(rt, {
    actor: actor("agency"),
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

  // 2. Under review: a consultancy by an expert group of three, written opinions only.
  const a2 = await createOrder(rt, {
    actor: actor("secretariat"),
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
  const send = (role: Role, id: string, event: { type: string } & Record<string, unknown>) =>
    sendAssignmentEvent(rt, { actor: actor(role), assignmentId: id, event });
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
  await send("secretariat", a2.id, {
    type: "panel.invite",
    members: [
      { expertId: ex[3].id, role: "chair" },
      { expertId: ex[2].id, role: "member" },
      { expertId: ex[0].id, role: "member" },
    ],
    alternates: [{ expertId: ex[4].id, role: "member" }],
  });
  const invs = await db.select().from(invitations).where(eq(invitations.assignmentId, a2.id));
  for (const inv of invs) {
    await respondToInvitation(rt, {
      actor: expertActor(inv.expertId),
      invitationId: inv.id,
      event: { type: "invitation.accept", declaration: { noConflict: true, confidentiality: true } },
    });
  }
  await send("secretariat", a2.id, { type: "panel.submit" });
  await send("leadership", a2.id, { type: "panel.approve" });
  await saveOpinionDraft(rt, {
    actor: expertActor(ex[3].id),
    assignmentId: a2.id,
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
  await submitOpinion(rt, { actor: expertActor(ex[3].id), assignmentId: a2.id });

  // 3. Screening, waiting for documents: a self-initiated critique of a draft HĐND resolution.
  const a3 = await createOrder(rt, {
    actor: actor("secretariat"),
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
  await send("clerk", a3.id, { type: "order.register" });

  const [check] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(and(eq(users.organizationId, org.id)));
  return {
    organizationId: org.id,
    password: DEMO_PASSWORD,
    users: people.map((p) => ({ role: p.role, email: p.email, name: p.name })),
    userCount: Number(check.n),
  };
}
