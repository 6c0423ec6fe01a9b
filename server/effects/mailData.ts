/**
 * The data a mail template receives, read from the database when the mail effect runs (not when
 * the machine asked for it, so a retried mail carries what is true now). One builder per template
 * (`server/mail/types.ts` says what each expects); strings come out already in the recipient's
 * language, dates as dd/mm/yyyy in Vietnam time. An unknown template is a permanent EffectError.
 */
import { randomBytes } from "node:crypto";
import { and, desc, eq, inArray } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import {
  agencies,
  assignments,
  deadlines,
  documents,
  experts,
  history,
  invitations,
  opinionVersions,
  organizations,
  recommendationResponses,
  users,
} from "../db/schema.js";
import { EffectError } from "../errors.js";
import { formatDocumentNumber, formatShortDate, pad2, vietnamParts } from "../documents/format.js";
import { createActionToken } from "../mail/links.js";
import { PANEL_ROLE_LABELS, STATE_LABELS } from "../presenters/labels.js";
import type { Clock } from "../runtime/clock.js";
import { resolveSettings } from "../settings.js";
import type { Recipient } from "./recipients.js";

/**
 * The development secret for invitation links. Production sets `TVPB_LINK_SECRET` (≥ 32 bytes) and
 * passes it as `MailDeps.linkSecret`; with this default anyone who reads the source can forge links.
 */
export const DEV_LINK_SECRET = "tvpb-development-link-secret-not-for-production";

/** How long a sign-in link sent after an accepted invitation stays valid. */
export const SIGNIN_LINK_HOURS = 72;

type Assignment = typeof assignments.$inferSelect;
type Organization = typeof organizations.$inferSelect;

/** The columns of a `documents` row the mail data needs (not the view model, which can be large). */
export const ISSUED_DOCUMENT_COLUMNS = {
  id: documents.id,
  kind: documents.kind,
  status: documents.status,
  register: documents.register,
  year: documents.year,
  number: documents.number,
  numberLabel: documents.numberLabel,
  sha256: documents.sha256,
  issuedAt: documents.issuedAt,
  createdAt: documents.createdAt,
};
export type IssuedDocument = { [K in keyof typeof ISSUED_DOCUMENT_COLUMNS]: (typeof documents.$inferSelect)[K] };

export type BuildMailDataProps = {
  db: Executor;
  template: string;
  assignment: Assignment;
  organization: Organization;
  recipient: Recipient;
  /** The `data` the machine (or a command) put in the effect payload. */
  payloadData: Record<string, unknown>;
  /** The audience the machine named ("secretariat", "leadership", { expertId } …). */
  to?: unknown;
  /** "assignment" or "invitation": which workflow queued the mail. */
  workflow?: string;
  workflowId: string;
  /** The event that asked for the mail ("panel.submit" …): what leadership is asked to do. */
  event?: string;
  publicUrl: string;
  clock: Clock;
  linkSecret?: string;
  /**
   * Rows the caller has already read for this effect, so they are not read again per recipient:
   * the assignment's agency (null: none), and the latest issuing/issued document of some kinds
   * (a kind present with null: none). Anything not given is read from the database.
   */
  prefetched?: {
    agency?: typeof agencies.$inferSelect | null;
    latestIssued?: ReadonlyMap<string, IssuedDocument | null>;
  };
};

const TYPE_VI: Record<string, string> = { consultancy: "tư vấn", critique: "phản biện", assessment: "giám định" };
const TYPE_EN: Record<string, string> = { consultancy: "consultancy", critique: "critique", assessment: "assessment" };
const ROLE_EN: Record<string, string> = {
  chair: "Chair of the council",
  secretary: "Scientific secretary",
  member: "Member",
};
const FORM_VI: Record<string, string> = {
  council: "hội đồng",
  expert_group: "tổ chuyên gia",
  workshop: "hội thảo",
  written: "lấy ý kiến bằng văn bản",
};
const FORM_EN: Record<string, string> = {
  council: "council",
  expert_group: "expert group",
  workshop: "workshop",
  written: "written opinions",
};
const STATE_EN: Record<string, string> = {
  ordered: "Ordered",
  planning: "Planning",
  underReview: "Under review",
  consolidation: "Consolidation",
  issuing: "Issuing",
  sent: "Sent",
  awaitingResponse: "Awaiting response",
  responded: "Responded",
  onHold: "On hold",
};

type Ctx = {
  missingDocuments?: string[];
  declineReasons?: string | null;
  plan?: { reviewDays: number } | null;
  timeline?: { reviewDays: number; responseDays: number };
  extensionRequests?: Array<{ expertId: string; days: number; reason: string; status: string }>;
  workshop?: { scheduledAt: string; place: string } | null;
  recommendations?: Array<{ id: string; number: number }>;
  reminders?: number;
  panel?: Array<{ expertId: string; status: string; role: string }>;
  opinions?: Array<{ expertId: string }>;
};

/** Builds the full data object of `template` for one recipient. */
export async function buildMailData(props: BuildMailDataProps): Promise<Record<string, unknown>> {
  const { db, assignment: a, organization: org, recipient, payloadData: pd, publicUrl, clock } = props;
  const en = recipient.locale === "en";
  const t = (vi: string, eng: string) => (en ? eng : vi);
  const settings = resolveSettings(org.settings);
  const ctx = (((a.snapshot ?? {}) as { context?: Ctx }).context ?? {}) as Ctx;
  const now = clock.now();
  const url = `${publicUrl}/assignments/${a.id}`;
  const typeLabel = (en ? TYPE_EN : TYPE_VI)[a.type] ?? a.type;
  const known = props.prefetched ?? {};
  const [agency] = !a.agencyId
    ? []
    : known.agency !== undefined
      ? [known.agency ?? undefined]
      : await db.select().from(agencies).where(eq(agencies.id, a.agencyId));
  const agencyName = agency?.name ?? a.draftingAgency ?? org.name;
  const date = (d: Date | null | undefined) => (d ? formatShortDate(d) : undefined);
  const dateTime = (d: Date) => {
    const p = vietnamParts(d);
    return t(
      `${pad2(p.hour)}:${pad2(p.minute)} ngày ${formatShortDate(d)}`,
      `${pad2(p.hour)}:${pad2(p.minute)}, ${formatShortDate(d)}`,
    );
  };
  const panelLabel = a.forms.includes("council")
    ? t(`Hội đồng ${typeLabel}`, `${typeLabel} council`)
    : t(`Tổ chuyên gia ${typeLabel}`, `${typeLabel} expert group`);
  const roleLabel = (role: string | null | undefined) =>
    role ? ((en ? ROLE_EN : PANEL_ROLE_LABELS)[role] ?? role) : t("Thành viên", "Member");
  const expertName = (e: typeof experts.$inferSelect | undefined) =>
    e ? [e.academicTitle, e.fullName].filter(Boolean).join(" ") : "";

  /** The latest deadline row with this key (any status: a passed or cancelled deadline still has its date). */
  const deadline = async (key: string) => {
    const [d] = await db
      .select()
      .from(deadlines)
      .where(and(eq(deadlines.assignmentId, a.id), eq(deadlines.key, key)))
      .orderBy(desc(deadlines.createdAt))
      .limit(1);
    return d?.dueAt;
  };
  /** The latest numbered document of a kind: its number ("05/QĐ-LHH") and date. */
  const issued = async (kind: string) => {
    const [d] = known.latestIssued?.has(kind)
      ? [known.latestIssued.get(kind) ?? undefined]
      : await db
          .select(ISSUED_DOCUMENT_COLUMNS)
          .from(documents)
          .where(
            and(
              eq(documents.assignmentId, a.id),
              eq(documents.kind, kind),
              inArray(documents.status, ["issuing", "issued"]),
            ),
          )
          .orderBy(desc(documents.createdAt))
          .limit(1);
    if (!d || (!d.numberLabel && !d.number)) return undefined;
    const register = (d.register ?? "CV").replace(/-MAT$/, "");
    const label =
      d.numberLabel ??
      formatDocumentNumber({
        number: d.number,
        issuerAbbr: settings.issuerAbbr,
        ...(register === "CV" ? { unitAbbr: settings.unitAbbr } : { typeAbbr: register }),
      }).replace(/^Số:\s*/, "");
    return { number: label, date: formatShortDate(d.issuedAt ?? d.createdAt), year: d.year, row: d };
  };
  const expertById = async (id: string | undefined) =>
    id ? (await db.select().from(experts).where(eq(experts.id, id)))[0] : undefined;
  const invitationOf = async (expertId: string | undefined) => {
    if (!expertId) return undefined;
    const rows = await db
      .select()
      .from(invitations)
      .where(and(eq(invitations.assignmentId, a.id), eq(invitations.expertId, expertId)))
      .orderBy(desc(invitations.createdAt));
    return rows.find((r) => r.state === "accepted") ?? rows[0];
  };
  const reviewDue = async (expertId?: string) =>
    (expertId ? await deadline(`review:${expertId}`) : undefined) ?? (await deadline("review"));

  const base = {
    org: {
      name: org.name,
      shortName: org.shortName,
      address: settings.address,
      email: settings.email,
      phone: settings.phone,
    },
    recipient: { name: recipient.name },
  };
  const withA = { ...base, assignment: { code: a.code, title: a.title, typeLabel, agencyName, url } };

  switch (props.template) {
    case "order.acknowledged":
      return { ...withA, receivedAt: date(a.createdAt), screeningDueAt: date(await deadline("screening")) };

    case "documents.requested":
      return {
        ...withA,
        documents: (ctx.missingDocuments ?? []).map((name) => ({ name })),
        letterNumber: (await issued("requestDocuments"))?.number,
        links: { respond: url },
      };

    case "order.accepted": {
      const forms = a.forms.map((f) => (en ? FORM_EN : FORM_VI)[f] ?? f).join(", ");
      return {
        ...withA,
        formLabel: forms.charAt(0).toUpperCase() + forms.slice(1),
        letterNumber: (await issued("acceptanceLetter"))?.number,
        expectedAt: a.requestedDeadline ? a.requestedDeadline.split("-").reverse().join("/") : undefined,
      };
    }

    case "order.declined": {
      const reasons = String(ctx.declineReasons ?? pd.reasons ?? "")
        .split(/\r?\n|;\s+/)
        .map((s) => s.replace(/^[-–•\s]+/, "").trim())
        .filter(Boolean);
      return { ...withA, reasons, letterNumber: (await issued("declineLetter"))?.number };
    }

    case "result.sent": {
      const report = await issued("finalReport");
      if (!report) throw new EffectError("the final report has no number yet", false, "documents_pending");
      return {
        ...withA,
        document: {
          number: report.number,
          date: report.date,
          title: t(`Báo cáo kết quả ${typeLabel} ${a.title}`, `Report on the ${typeLabel} of ${a.title}`),
          filename: `Bao-cao-ket-qua-${report.row.number ?? ""}-${report.year ?? ""}.pdf`,
        },
        responseDueAt: date(await deadline("response")),
        recommendationsCount: ctx.recommendations?.length ?? 0,
        links: { respond: url },
      };
    }

    case "response.reminder": {
      const report = await issued("finalReport");
      const due = await deadline("response");
      const variant = pd.overdue ? "after" : due && vietnamDay(due) === vietnamDay(now) ? "due" : "before";
      return {
        ...withA,
        variant,
        dueAt: date(due) ?? "",
        document: { number: report?.number ?? "", date: report?.date ?? "" },
        links: { respond: url },
      };
    }

    case "invitation": {
      if (props.workflow !== "invitation")
        throw new EffectError("an invitation mail must come from an invitation workflow", true, "mail_invalid");
      const [inv] = await db.select().from(invitations).where(eq(invitations.id, props.workflowId));
      if (!inv) throw new EffectError(`invitation ${props.workflowId} not found`, true, "mail_invalid");
      const respondBy = inv.dueAt ?? new Date(now.getTime() + 14 * 86_400_000);
      const expiresAt = new Date(respondBy.getTime() + 86_400_000);
      const token = (purpose: "invitation.accept" | "invitation.decline") =>
        createActionToken({
          secret: props.linkSecret ?? DEV_LINK_SECRET,
          purpose,
          subjectId: inv.id,
          email: recipient.address,
          expiresAt,
          jti: randomBytes(16).toString("base64url"),
        });
      const reviewDays = ctx.plan?.reviewDays ?? ctx.timeline?.reviewDays;
      return {
        ...withA,
        panelLabel,
        role: roleLabel(inv.panelRole),
        dueAt: reviewDays
          ? t(`trong ${reviewDays} ngày kể từ ngày nhận hồ sơ`, `within ${reviewDays} days of receiving the dossier`)
          : t("theo kế hoạch", "as planned"),
        respondBy: formatShortDate(respondBy),
        summary: a.summary ?? a.title,
        confidential: a.confidential,
        links: {
          accept: `${publicUrl}/invitations/respond?token=${token("invitation.accept")}`,
          decline: `${publicUrl}/invitations/respond?token=${token("invitation.decline")}`,
        },
      };
    }

    case "opinion.reminder": {
      const due = await reviewDue(recipient.expertId);
      const variant =
        pd.overdue || (due && due.getTime() < now.getTime())
          ? "overdue"
          : due && vietnamDay(due) === vietnamDay(now)
            ? "due"
            : "before";
      return {
        ...withA,
        variant,
        dueAt: date(due) ?? "",
        links: { submit: `${url}#opinion`, requestExtension: `${url}#extension` },
      };
    }

    case "extension.decided": {
      const granted = !!pd.granted;
      const general = await deadline("review");
      const own = recipient.expertId ? await deadline(`review:${recipient.expertId}`) : undefined;
      return {
        ...withA,
        granted,
        previousDueAt: date(general) ?? "",
        ...(granted ? { newDueAt: date(own ?? general) ?? "" } : {}),
        ...(typeof pd.reason === "string" && pd.reason.trim() ? { reason: pd.reason } : {}),
        links: { submit: `${url}#opinion` },
      };
    }

    case "expert.thanks": {
      const inv = await invitationOf(recipient.expertId);
      const report = await issued("finalReport");
      const n = ctx.recommendations?.length ?? 0;
      return {
        ...withA,
        role: roleLabel(inv?.panelRole),
        ...(report
          ? {
              report: {
                number: report.number,
                date: report.date,
                summary: t(
                  `Báo cáo gồm ${n} kiến nghị, đã gửi ${agencyName}.`,
                  `The report makes ${n} recommendations and was sent to ${agencyName}.`,
                ),
              },
            }
          : {}),
      };
    }

    case "escalation":
      return { ...withA, ...(await escalation()) };

    case "leadership.pending": {
      const actions: Record<string, [string, string]> = {
        "screening.proposedAccept": ["Quyết định tiếp nhận đặt hàng", "Decide on accepting the order"],
        "screening.proposedDecline": ["Quyết định từ chối đặt hàng", "Decide on declining the order"],
        "panelFormation.proposed": ["Phê duyệt thành phần Hội đồng", "Approve the panel"],
        "approval.awaitingLeadership": ["Phê duyệt dự thảo báo cáo kết quả", "Approve the draft report"],
        "approval.awaitingChair": ["Chờ Chủ tịch Hội đồng xác nhận báo cáo", "Report awaiting the chair's endorsement"],
      };
      const byEvent: Record<string, string> = {
        "order.proposeAccept": "screening.proposedAccept",
        "order.proposeDecline": "screening.proposedDecline",
        "panel.submit": "panelFormation.proposed",
        "report.submit": "approval.awaitingLeadership",
        "report.endorse": "approval.awaitingLeadership",
      };
      const state = (props.event && byEvent[props.event]) || a.state;
      const [vi, eng] = actions[state] ?? [STATE_LABELS[state] ?? state, STATE_EN[state] ?? state];
      return {
        ...base,
        items: [{ code: a.code, title: a.title, actionLabel: t(vi, eng), since: formatShortDate(now), url }],
        links: { inbox: `${publicUrl}/assignments` },
      };
    }

    case "panel.approved": {
      const inv = await invitationOf(recipient.expertId);
      const decision = await issued("panelDecision");
      return {
        ...withA,
        panelLabel,
        role: roleLabel(inv?.panelRole),
        ...(decision ? { decision: { number: decision.number, date: decision.date } } : {}),
        dueAt: date(await reviewDue(recipient.expertId)) ?? "",
        links: { dossier: url, submit: `${url}#opinion` },
      };
    }

    case "extension.requested": {
      const req =
        [...(ctx.extensionRequests ?? [])].reverse().find((r) => r.status === "pending") ??
        ctx.extensionRequests?.at(-1);
      if (!req) throw new EffectError("no extension request in the assignment", true, "mail_invalid");
      const e = await expertById(req.expertId);
      return {
        ...withA,
        expert: { name: expertName(e) },
        days: req.days,
        reason: req.reason,
        currentDueAt: date(await reviewDue(req.expertId)) ?? "",
        links: { decide: `${url}#extensions` },
      };
    }

    case "workshop.invitation": {
      const ws = ctx.workshop;
      if (!ws) throw new EffectError("no workshop in the assignment", true, "mail_invalid");
      return {
        ...withA,
        scheduledAt: dateTime(new Date(ws.scheduledAt)),
        place: ws.place,
        letterNumber: (await issued("meetingInvitation"))?.number,
        links: { details: url },
      };
    }

    case "response.received": {
      const ids = (ctx.recommendations ?? []).map((r) => r.id);
      const rows = ids.length
        ? await db
            .select()
            .from(recommendationResponses)
            .where(inArray(recommendationResponses.recommendationId, ids))
            .orderBy(desc(recommendationResponses.createdAt))
        : [];
      const latest = new Map<string, string>();
      for (const r of rows) if (!latest.has(r.recommendationId)) latest.set(r.recommendationId, r.status);
      const count = (s: string) => [...latest.values()].filter((x) => x === s).length;
      return {
        ...withA,
        receivedAt: formatShortDate(now),
        resultNumber: (await issued("finalReport"))?.number,
        total: ids.length,
        accepted: count("accepted"),
        partly: count("partly"),
        notAccepted: count("not_accepted"),
        links: { review: `${url}#response` },
      };
    }

    case "invitation.expired": {
      const [inv] = await db.select().from(invitations).where(eq(invitations.id, props.workflowId));
      if (!inv) throw new EffectError(`invitation ${props.workflowId} not found`, true, "mail_invalid");
      const e = await expertById(inv.expertId);
      const later = (await db.select().from(invitations).where(eq(invitations.assignmentId, a.id)))
        .filter(
          (r) =>
            r.rank > inv.rank &&
            r.createdAt.getTime() >= (inv.respondedAt ?? inv.dueAt ?? inv.createdAt).getTime() - 1000,
        )
        .sort(
          (x, y) => Number(y.panelRole === inv.panelRole) - Number(x.panelRole === inv.panelRole) || x.rank - y.rank,
        );
      const alt = later[0]
        ? { name: expertName(await expertById(later[0].expertId)), roleLabel: roleLabel(later[0].panelRole) }
        : undefined;
      return {
        ...withA,
        panelLabel,
        expert: { name: expertName(e), roleLabel: roleLabel(inv.panelRole) },
        dueAt: date(inv.dueAt) ?? "",
        ...(alt ? { alternate: alt } : {}),
        links: { panel: `${url}#panel` },
      };
    }

    case "opinion.edited": {
      const version = Number(pd.version);
      const [row] = recipient.expertId
        ? await db
            .select()
            .from(opinionVersions)
            .where(
              and(
                eq(opinionVersions.assignmentId, a.id),
                eq(opinionVersions.expertId, recipient.expertId),
                eq(opinionVersions.version, version),
              ),
            )
        : [];
      const [author] = row?.authorId ? await db.select().from(users).where(eq(users.id, row.authorId)) : [];
      return {
        ...withA,
        version,
        reason: String(pd.reason ?? row?.reason ?? ""),
        editedAt: formatShortDate(row?.createdAt ?? now),
        editorName: author?.fullName
          ? t(`${author.fullName} (Ban Tư vấn phản biện)`, `${author.fullName} (secretariat)`)
          : t("Ban Tư vấn phản biện", "The secretariat"),
        links: { opinion: `${url}#opinion` },
      };
    }

    case "assignment.withdrawn": {
      const [h] = await db
        .select()
        .from(history)
        .where(and(eq(history.assignmentId, a.id), eq(history.eventType, "assignment.withdraw")))
        .orderBy(desc(history.createdAt))
        .limit(1);
      const from = h?.fromState ?? "";
      return {
        ...withA,
        reason: h?.reason ?? String((h?.payload as { reason?: string } | undefined)?.reason ?? pd.reason ?? ""),
        stateLabel: (en ? STATE_EN[from] : undefined) ?? STATE_LABELS[from] ?? from,
        withdrawnAt: formatShortDate(h?.createdAt ?? now),
        links: { assignment: url },
      };
    }

    case "delivery.failed":
      return { ...withA, ...pd };

    case "signin.link": {
      if (pd.links) return { ...base, ...pd };
      // The link is signed when the mail is built, so the token never sits in the effect's payload.
      if (!recipient.userId)
        throw new EffectError("a sign-in link needs a user account as recipient", true, "mail_invalid");
      const ttlHours = SIGNIN_LINK_HOURS;
      const token = createActionToken({
        secret: props.linkSecret ?? DEV_LINK_SECRET,
        purpose: "signin",
        subjectId: recipient.userId,
        email: recipient.address,
        expiresAt: new Date(now.getTime() + ttlHours * 3_600_000),
        jti: randomBytes(16).toString("base64url"),
      });
      return {
        ...base,
        expiresIn: t(`${ttlHours} giờ`, `${ttlHours} hours`),
        requestedAt: dateTime(now),
        links: { signin: `${publicUrl}/auth/link?token=${token}&a=${a.id}` },
      };
    }

    case "secretariat.digest":
      return { ...base, ...pd };

    default:
      throw new EffectError(`no data builder for mail template "${props.template}"`, true, "mail_unknown_template");
  }

  /**
   * Which deadline fell (`key`: review, review:<expertId>, screening, planning, consolidation, response) and who is
   * late.
   */
  async function escalation() {
    const key = String(pd.key ?? "");
    const due = await deadline(key);
    const days = due ? Math.floor((now.getTime() - due.getTime()) / 86_400_000) : 0;
    const overdueBy =
      days >= 1 ? t(`${days} ngày`, `${days} day${days > 1 ? "s" : ""}`) : t("chưa đến 1 ngày", "less than a day");
    const secretariat = {
      name: t("Ban Tư vấn phản biện", "The secretariat"),
      roleLabel: t("Bộ phận thường trực", "Secretariat"),
    };
    let party: { name: string; roleLabel: string; email?: string; phone?: string } = secretariat;
    let taskLabel = key;
    if (key === "review" || key.startsWith("review:")) {
      taskLabel = t("Bản nhận xét", "Written opinion");
      const submitted = new Set((ctx.opinions ?? []).map((o) => o.expertId));
      const late = key.startsWith("review:")
        ? [key.slice("review:".length)]
        : (ctx.panel ?? []).filter((s) => s.status === "accepted" && !submitted.has(s.expertId)).map((s) => s.expertId);
      const people = late.length ? await db.select().from(experts).where(inArray(experts.id, late)) : [];
      if (people.length === 1) {
        const inv = await invitationOf(people[0].id);
        party = {
          name: expertName(people[0]),
          roleLabel: roleLabel(inv?.panelRole),
          ...(people[0].email ? { email: people[0].email } : {}),
          ...(people[0].phone ? { phone: people[0].phone } : {}),
        };
      } else if (people.length > 1) {
        party = { name: people.map(expertName).join(", "), roleLabel: t("thành viên", "panel members") };
      } else {
        party = { name: panelLabel, roleLabel: t("thành viên", "panel members") };
      }
    } else if (key === "response") {
      taskLabel = t("Báo cáo tiếp thu, giải trình", "Written response to the recommendations");
      party = {
        name: agencyName,
        roleLabel: t("Cơ quan đặt hàng", "Ordering agency"),
        ...(agency?.email ? { email: agency.email } : {}),
      };
    } else if (key === "screening") {
      taskLabel = t("Việc xem xét hồ sơ đặt hàng", "Screening of the order");
    } else if (key === "planning") {
      taskLabel = t("Kế hoạch thực hiện và dự toán kinh phí", "Work plan and cost estimate");
    } else if (key === "consolidation") {
      taskLabel = t("Dự thảo báo cáo tổng hợp", "Draft consolidated report");
    }
    const level = props.to === "leadership" ? "leadership" : "secretariat";
    return { level, party, taskLabel, dueAt: date(due) ?? "", overdueBy, remindersSent: ctx.reminders ?? 0 };
  }
}

function vietnamDay(d: Date): string {
  return formatShortDate(d);
}
