/**
 * The zod schemas the API validates with; the OpenAPI document is generated from the same ones.
 */
import { z } from "zod";

const text = (max = 4000) => z.string().trim().min(1).max(max);
const optText = (max = 4000) => z.string().trim().max(max).optional();
const uuid = z.string().uuid();
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "YYYY-MM-DD");
const role = z.enum(["chair", "secretary", "member"]);
const candidate = z.object({ expertId: uuid, role });
const answer = z.object({
  recommendationId: uuid,
  status: z.enum(["accepted", "partly", "not_accepted"]),
  explanation: optText(),
});

export const AssignmentTypeSchema = z.enum(["consultancy", "critique", "assessment"]);
export const WorkFormSchema = z.enum(["council", "expert_group", "workshop", "written"]);

export const CreateOrderSchema = z
  .object({
    type: AssignmentTypeSchema,
    forms: z.array(WorkFormSchema).min(1).max(4),
    subjectKind: z.enum([
      "de_an",
      "du_an",
      "quy_hoach",
      "ke_hoach",
      "chuong_trinh",
      "du_thao_nghi_quyet",
      "du_thao_van_ban",
      "khac",
    ]),
    title: text(500),
    summary: optText(4000),
    agencyId: uuid.optional(),
    draftingAgency: optText(300),
    origin: z.enum(["ordered", "self_initiated", "annual_list"]).optional(),
    orderNumber: optText(60),
    orderDate: isoDate.optional(),
    requestedDeadline: isoDate.optional(),
    budget: z.number().int().min(0).max(1e12).optional(),
    confidential: z.boolean().optional(),
    urgency: z.enum(["khan", "thuong_khan", "hoa_toc"]).nullable().optional(),
    staffUserIds: z.array(uuid).max(50).optional(),
  })
  .strict();

const ev = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.object({ type: z.literal(type), expectedVersion: z.number().int().min(1).optional(), ...shape }).strict();

/** Every event a person may send, with its payload. */
export const EVENT_SCHEMAS = {
  "order.register": ev("order.register", { note: optText() }),
  "documents.request": ev("documents.request", {
    missingDocuments: z.array(text(300)).min(1).max(50),
    note: optText(),
  }),
  "documents.supply": ev("documents.supply", { note: optText() }),
  "order.proposeAccept": ev("order.proposeAccept", { note: optText() }),
  "order.proposeDecline": ev("order.proposeDecline", { reasons: text() }),
  "order.accept": ev("order.accept", { note: optText() }),
  "order.decline": ev("order.decline", { note: optText() }),
  "proposal.return": ev("proposal.return", { comments: text() }),
  "plan.submit": ev("plan.submit", {
    workPlan: text(8000),
    costEstimate: z.number().int().min(0).max(1e12),
    reviewDays: z.number().int().min(1).max(120).optional(),
  }),
  "panel.invite": ev("panel.invite", {
    members: z.array(candidate).min(1).max(30),
    alternates: z.array(candidate).max(30).optional(),
  }),
  "panel.submit": ev("panel.submit", { note: optText() }),
  "panel.approve": ev("panel.approve", { note: optText() }),
  "panel.return": ev("panel.return", { comments: text() }),
  "extension.request": ev("extension.request", { days: z.number().int().min(1).max(60), reason: text() }),
  "extension.grant": ev("extension.grant", { expertId: uuid, days: z.number().int().min(1).max(60).optional() }),
  "extension.refuse": ev("extension.refuse", { expertId: uuid, reason: text() }),
  "reminder.send": ev("reminder.send", { expertId: uuid.optional() }),
  "workshop.schedule": ev("workshop.schedule", {
    scheduledAt: z.string().datetime({ offset: true }),
    place: text(300),
  }),
  "workshop.record": ev("workshop.record", { minutes: text(20000), attendees: z.array(text(200)).min(1).max(200) }),
  "review.close": ev("review.close", { note: optText() }),
  "report.submit": ev("report.submit", { note: optText() }),
  "report.endorse": ev("report.endorse", { note: optText() }),
  "report.approve": ev("report.approve", { note: optText() }),
  "report.return": ev("report.return", { comments: text() }),
  "report.issue": ev("report.issue", {}),
  "delivery.recorded": ev("delivery.recorded", {
    channel: z.enum(["email", "post", "hand", "national_exchange"]),
    note: optText(),
  }),
  "response.save": ev("response.save", { answers: z.array(answer).min(1).max(200) }),
  "response.submit": ev("response.submit", { answers: z.array(answer).max(200) }),
  "assignment.close": ev("assignment.close", { note: optText() }),
  "assignment.reopen": ev("assignment.reopen", { reason: text() }),
  "assignment.hold": ev("assignment.hold", { reason: text() }),
  "assignment.resume": ev("assignment.resume", { note: optText() }),
  "assignment.withdraw": ev("assignment.withdraw", { reason: text() }),
} as const;

export const EventSchema = z.discriminatedUnion(
  "type",
  Object.values(EVENT_SCHEMAS) as unknown as [z.ZodObject, ...z.ZodObject[]],
);

export const InvitationEventSchema = z.discriminatedUnion("type", [
  z
    .object({
      type: z.literal("invitation.accept"),
      declaration: z.object({ noConflict: z.boolean(), confidentiality: z.boolean(), note: optText() }).strict(),
    })
    .strict(),
  z.object({ type: z.literal("invitation.decline"), reason: text(), conflict: z.boolean().optional() }).strict(),
]);

export const OpinionContentSchema = z
  .object({
    general: z.string().max(20000),
    specific: z
      .array(
        z
          .object({ section: z.string().max(500), comment: z.string().max(8000), suggestion: z.string().max(8000) })
          .strict(),
      )
      .max(200),
    conclusion: z.enum(["agree", "agree_with_revisions", "disagree"]),
    recommendations: z.string().max(8000),
  })
  .strict();

export const OpinionOnBehalfSchema = z.object({ content: OpinionContentSchema, reason: text() }).strict();

export const ReportContentSchema = z
  .object({
    sections: z
      .array(
        z
          .object({
            key: z.string().max(60),
            title: text(300),
            paragraphs: z
              .array(z.object({ text: z.string().max(20000), sources: z.array(uuid).max(50).optional() }).strict())
              .max(200),
          })
          .strict(),
      )
      .max(50),
    recommendations: z
      .array(z.object({ text: text(4000), sources: z.array(uuid).max(50).optional() }).strict())
      .max(100),
    commentMatrix: z
      .array(
        z
          .object({
            section: z.string().max(300),
            opinion: z.string().max(8000),
            proposedChange: z.string().max(8000),
            expertId: uuid.optional(),
          })
          .strict(),
      )
      .max(500)
      .optional(),
    minorityViews: z
      .array(z.object({ expertId: uuid.optional(), text: text(8000) }).strict())
      .max(50)
      .optional(),
    conclusion: z.enum(["fit", "fit_after_revision", "not_fit"]),
  })
  .strict();

export const SaveReportSchema = z.object({ content: ReportContentSchema, note: optText(1000) }).strict();

export const ListAssignmentsQuery = z
  .object({
    state: z.string().max(60).optional(),
    type: AssignmentTypeSchema.optional(),
    agencyId: uuid.optional(),
    overdue: z.enum(["true", "false"]).optional(),
    q: z.string().max(200).optional(),
    page: z.coerce.number().int().min(1).max(100000).default(1),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();

export const LoginSchema = z
  .object({
    email: z.string().trim().toLowerCase().email(),
    password: z.string().min(1).max(200),
    organization: z.string().max(60).optional(),
  })
  .strict();

export const ExpertSchema = z
  .object({
    fullName: text(200),
    academicTitle: z.string().max(40).nullable().optional(),
    degree: z.string().max(40).nullable().optional(),
    fields: z.array(text(120)).max(20).optional(),
    workplace: z.string().max(300).nullable().optional(),
    memberAssociationId: uuid.nullable().optional(),
    employerAgencyId: uuid.nullable().optional(),
    email: z.string().email().nullable().optional(),
    phone: z.string().max(30).nullable().optional(),
    active: z.boolean().optional(),
  })
  .strict();

export const UserSchema = z
  .object({
    email: z.string().trim().toLowerCase().email(),
    fullName: text(200),
    password: z.string().min(10).max(200).optional(),
    roles: z.array(z.enum(["agency", "secretariat", "expert", "leadership", "clerk", "admin", "accountant"])).min(1),
    agencyId: uuid.nullable().optional(),
    expertId: uuid.nullable().optional(),
    locale: z.enum(["vi", "en"]).optional(),
  })
  .strict();

export const TokenSchema = z.object({ name: text(100) }).strict();
export const FileKindSchema = z.object({
  kind: z
    .enum(["request_letter", "draft", "submission", "annex", "supplement", "confidential_annex", "other"])
    .default("annex"),
});

export const UpdateUserSchema = z
  .object({
    fullName: text(200).optional(),
    roles: z
      .array(z.enum(["agency", "secretariat", "expert", "leadership", "clerk", "admin", "accountant"]))
      .min(1)
      .optional(),
    agencyId: uuid.nullable().optional(),
    expertId: uuid.nullable().optional(),
    locale: z.enum(["vi", "en"]).optional(),
    active: z.boolean().optional(),
  })
  .strict();
export const AgencySchema = z
  .object({
    name: text(300),
    shortName: z.string().max(60).nullable().optional(),
    email: z.string().email().nullable().optional(),
    address: z.string().max(300).nullable().optional(),
  })
  .strict();
export const MemberAssociationSchema = z
  .object({ name: text(300), shortName: z.string().max(60).nullable().optional() })
  .strict();

const reminderPolicy = z
  .object({
    before: z.array(z.number().int().min(1).max(30)).max(10),
    onDue: z.boolean(),
    after: z.array(z.number().int().min(1).max(30)).max(10),
    escalateSecretariatAfter: z.number().int().min(0).max(60),
    escalateLeadershipAfter: z.number().int().min(0).max(60),
  })
  .strict();
const perForm = z
  .object({
    council: z.number().int().min(1).max(30),
    expert_group: z.number().int().min(1).max(30),
    workshop: z.number().int().min(1).max(30),
    written: z.number().int().min(1).max(30),
  })
  .strict();
export const SettingsSchema = z
  .object({
    name: text(300).optional(),
    shortName: text(120).optional(),
    settings: z
      .object({
        parentBody: z.string().max(200),
        issuerName: text(300),
        issuerAbbr: text(20),
        unitAbbr: text(20),
        place: z.string().max(100),
        address: z.string().max(300),
        email: z.string().max(200),
        phone: z.string().max(40),
        timeline: z
          .object({
            screeningWorkingDays: z.number().int().min(1).max(120),
            planningWorkingDays: z.number().int().min(1).max(120),
            invitationWorkingDays: z.number().int().min(1).max(120),
            reviewDays: z.number().int().min(1).max(120),
            consolidationWorkingDays: z.number().int().min(1).max(120),
            responseDays: z.number().int().min(1).max(120),
          })
          .strict(),
        minPanel: perForm,
        minOpinions: perForm,
        signers: z
          .array(
            z
              .object({
                key: text(40),
                name: text(200),
                title: text(100),
                authority: z.enum(["", "TM.", "KT.", "Q.", "TL.", "TUQ."]),
                authorityTitle: z.string().max(100).optional(),
              })
              .strict(),
          )
          .max(10),
        margins: z
          .object({
            top: z.number().min(10).max(40),
            bottom: z.number().min(10).max(40),
            left: z.number().min(10).max(40),
            right: z.number().min(10).max(40),
          })
          .strict(),
        mail: z
          .object({ fromName: text(200), fromAddress: z.string().email(), replyTo: z.string().email().optional() })
          .strict(),
        weekend: z.array(z.number().int().min(0).max(6)).max(3),
        reminders: z.record(z.string().max(40), reminderPolicy),
      })
      .partial()
      .strict()
      .optional(),
    holidays: z
      .object({
        year: z.number().int().min(2000).max(2100),
        days: z.array(z.object({ day: isoDate, name: text(200) }).strict()).max(60),
      })
      .strict()
      .optional(),
  })
  .strict();
