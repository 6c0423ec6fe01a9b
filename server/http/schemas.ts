/**
 * The zod schemas the API validates with; the OpenAPI document is generated from the same ones.
 */
import { z } from "zod";
import { eventSchema, INVITATION_EVENTS, PEOPLE_EVENT_TYPES } from "../commands/events/index.js";
import { cleanString, isoDate, line, optLine, optText, text, uuid } from "../commands/events/fields.js";
import {
  DOSSIER_FILE_KINDS,
  SUBJECT_KINDS,
  URGENCIES,
  type SubjectKind,
  type Urgency,
} from "../../workflows/assignment/types.js";

const LEGACY_SUBJECT_KINDS = {
  de_an: "scheme",
  du_an: "project",
  quy_hoach: "master_plan",
  ke_hoach: "plan",
  chuong_trinh: "programme",
  du_thao_nghi_quyet: "draft_resolution",
  du_thao_van_ban: "draft_document",
  khac: "other",
} as const satisfies Record<string, SubjectKind>;
const LEGACY_URGENCIES = { khan: "urgent", thuong_khan: "very_urgent", hoa_toc: "immediate" } as const satisfies Record<
  string,
  Urgency
>;

/**
 * A code of `codes`, or (for one release) the Vietnamese slug it replaced, mapped to the new code.
 * The OpenAPI document lists the old slugs apart, marked deprecated.
 */
function codeOrLegacy<C extends string, L extends Record<string, C>>(codes: readonly [C, ...C[]], legacy: L) {
  const slugs = Object.keys(legacy) as [keyof L & string, ...Array<keyof L & string>];
  return z.union([
    z.enum(codes),
    z
      .enum(slugs)
      .transform((slug) => legacy[slug])
      .meta({
        deprecated: true,
        description: "Mã cũ (tiếng Việt không dấu): còn nhận trong phiên bản này, sẽ bỏ ở phiên bản sau.",
      }),
  ]);
}

export const AssignmentTypeSchema = z.enum(["consultancy", "critique", "assessment"]);
export const WorkFormSchema = z.enum(["council", "expert_group", "workshop", "written"]);

export const CreateOrderSchema = z
  .object({
    type: AssignmentTypeSchema,
    forms: z.array(WorkFormSchema).min(1).max(4),
    subjectKind: codeOrLegacy(SUBJECT_KINDS, LEGACY_SUBJECT_KINDS),
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
    urgency: codeOrLegacy(URGENCIES, LEGACY_URGENCIES).nullable().optional(),
    staffUserIds: z.array(uuid).max(50).optional(),
    /** Self-initiated work: the authorities its result goes to (an agency of the list, or a name). */
    recipients: z
      .array(
        z
          .object({
            agencyId: uuid.optional(),
            name: optText(300),
            email: z.string().trim().email().max(200).optional(),
            answerRequested: z.boolean().optional(),
          })
          .strict(),
      )
      .max(20)
      .optional(),
  })
  .strict();

/** POST /assignments/:id/staff: leadership adds and removes who works on the assignment. */
export const StaffChangeSchema = z
  .object({ add: z.array(uuid).max(50).optional(), remove: z.array(uuid).max(50).optional(), note: optText(1000) })
  .strict()
  .refine((x) => !!x.add?.length || !!x.remove?.length, { message: "add or remove", path: ["add"] });

/** POST /clock/advance: how far to move the installation's clock forward ("3d", "12h", "1d6h" or hours). */
export const ClockAdvanceSchema = z.object({ by: z.string().min(1).max(20) }).strict();

/** Every assignment event a person may send, with its payload (from the declarations in commands/events). */
export const EVENT_SCHEMAS: Readonly<Record<string, z.ZodObject>> = Object.fromEntries(
  PEOPLE_EVENT_TYPES.map((type) => [type, eventSchema(type)!]),
);

/** An assignment event: one of EVENT_SCHEMAS, chosen by `type`. */
export const EventSchema = z.discriminatedUnion(
  "type",
  Object.values(EVENT_SCHEMAS) as unknown as [z.ZodObject, ...z.ZodObject[]],
);

type EventBody = { type: string; expectedVersion?: number } & Record<string, unknown>;

/**
 * The body of POST /assignments/:id/events: an object with a string `type` (else 400
 * validation_failed on `type`), a known event (else 400 unknown_event), its payload valid.
 */
export const EventBodySchema = z
  .looseObject({ type: z.string() })
  .pipe(EventSchema as unknown as z.ZodType<EventBody, { type: string }>);

/** An invitation event a person sends: accept (with the declaration) or decline. */
export const InvitationEventSchema = z.discriminatedUnion(
  "type",
  Object.keys(INVITATION_EVENTS).map((type) => eventSchema(type)!) as unknown as [z.ZodObject, ...z.ZodObject[]],
);

export const OpinionContentSchema = z
  .object({
    general: cleanString(20000),
    specific: z
      .array(
        z.object({ section: cleanString(500), comment: cleanString(8000), suggestion: cleanString(8000) }).strict(),
      )
      .max(200),
    // A draft may have no conclusion yet; submitting asks for one (nothing is chosen for the expert).
    conclusion: z.enum(["agree", "agree_with_revisions", "disagree"]).optional(),
    recommendations: cleanString(8000),
  })
  .strict();

export const OpinionOnBehalfSchema = z.object({ content: OpinionContentSchema, reason: text() }).strict();

/** A part of an opinion a report may quote: I (general), II.n (the n-th specific comment), III (recommendations). */
export const OPINION_PART = /^(?:I|II\.\d{1,3}|III)$/;

/** The passages a paragraph quotes: the opinion version and its part. */
const citations = z
  .array(z.object({ opinionId: uuid, part: z.string().regex(OPINION_PART) }).strict())
  .max(50)
  .optional();

export const ReportContentSchema = z
  .object({
    sections: z
      .array(
        z
          .object({
            key: cleanString(60),
            title: text(300),
            paragraphs: z
              .array(
                z.object({ text: cleanString(20000), sources: z.array(uuid).max(50).optional(), citations }).strict(),
              )
              .max(200),
          })
          .strict(),
      )
      .max(50),
    recommendations: z
      .array(z.object({ text: text(4000), sources: z.array(uuid).max(50).optional(), citations }).strict())
      .max(100),
    commentMatrix: z
      .array(
        z
          .object({
            section: cleanString(300),
            opinion: cleanString(8000),
            proposedChange: cleanString(8000),
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
    // A draft may have no conclusion yet; submitting it asks for one (nothing is chosen in advance).
    conclusion: z.enum(["fit", "fit_after_revision", "not_fit"]).optional(),
  })
  .strict();

export const SaveReportSchema = z.object({ content: ReportContentSchema, note: optText(1000) }).strict();

export const ListAssignmentsQuery = z
  .object({
    state: optLine(60).optional(),
    type: AssignmentTypeSchema.optional(),
    agencyId: uuid.optional(),
    overdue: z.enum(["true", "false"]).optional(),
    q: cleanString(200).optional(),
    // By number up to MAX_OFFSET rows deep (an offset); deeper pages follow nextCursor / prevCursor.
    page: z.coerce.number().int().min(1).max(100000).default(1),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    sort: z.enum(["updated", "due", "received", "title", "step"]).optional(),
    dir: z.enum(["asc", "desc"]).optional(),
    after: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,1500}$/)
      .optional(),
    before: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,1500}$/)
      .optional(),
  })
  .strict();

export const LoginSchema = z
  .object({
    email: z.string().trim().toLowerCase().email(),
    password: z.string().min(1).max(200),
    organization: optLine(60).optional(),
  })
  .strict();

export const ExpertSchema = z
  .object({
    fullName: line(200),
    academicTitle: optLine(40).nullable().optional(),
    degree: optLine(40).nullable().optional(),
    fields: z.array(line(120)).max(20).optional(),
    workplace: optLine(300).nullable().optional(),
    memberAssociationId: uuid.nullable().optional(),
    employerAgencyId: uuid.nullable().optional(),
    email: z.string().email().nullable().optional(),
    phone: optLine(30).nullable().optional(),
    active: z.boolean().optional(),
  })
  .strict();

export const UserSchema = z
  .object({
    email: z.string().trim().toLowerCase().email(),
    fullName: line(200),
    password: z.string().min(10).max(200).optional(),
    roles: z
      .array(z.enum(["agency", "association", "secretariat", "expert", "leadership", "clerk", "admin", "accountant"]))
      .min(1),
    agencyId: uuid.nullable().optional(),
    expertId: uuid.nullable().optional(),
    memberAssociationId: uuid.nullable().optional(),
    locale: z.enum(["vi", "en"]).optional(),
  })
  .strict();

export const TokenSchema = z.object({ name: line(100) }).strict();
export const FileKindSchema = z.object({
  kind: z.enum(DOSSIER_FILE_KINDS).default("annex"),
});

export const UpdateUserSchema = z
  .object({
    fullName: line(200).optional(),
    roles: z
      .array(z.enum(["agency", "association", "secretariat", "expert", "leadership", "clerk", "admin", "accountant"]))
      .min(1)
      .optional(),
    agencyId: uuid.nullable().optional(),
    expertId: uuid.nullable().optional(),
    memberAssociationId: uuid.nullable().optional(),
    locale: z.enum(["vi", "en"]).optional(),
    active: z.boolean().optional(),
  })
  .strict();
export const AgencySchema = z
  .object({
    name: line(300),
    shortName: optLine(60).nullable().optional(),
    email: z.string().email().nullable().optional(),
    address: optLine(300).nullable().optional(),
  })
  .strict();
export const MemberAssociationSchema = z
  .object({ name: line(300), shortName: optLine(60).nullable().optional() })
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
    name: line(300).optional(),
    shortName: line(120).optional(),
    settings: z
      .object({
        parentBody: optLine(200),
        issuerName: line(300),
        issuerAbbr: line(20),
        unitAbbr: line(20),
        place: optLine(100),
        address: optLine(300),
        email: optLine(200),
        phone: optLine(40),
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
                key: line(40),
                name: line(200),
                title: line(100),
                authority: z.enum(["", "TM.", "KT.", "Q.", "TL.", "TUQ."]),
                authorityTitle: optLine(100).optional(),
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
          .object({ fromName: line(200), fromAddress: z.string().email(), replyTo: z.string().email().optional() })
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
        days: z.array(z.object({ day: isoDate, name: line(200) }).strict()).max(60),
      })
      .strict()
      .optional(),
  })
  .strict();
