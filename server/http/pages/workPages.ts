/**
 * Role workspaces: the expert's invitations and opinion form, the secretariat's panel builder and
 * consolidation editor, leadership's approvals inbox and the clerk's registers. Each form calls
 * the same command as the API.
 */
import { Router, type Request, type Response } from "express";
import { issueActivityReport } from "../../commands/issueActivityReport.js";
import { and, asc, desc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import {
  agencies,
  assignments,
  documents,
  experts,
  invitations,
  opinionVersions,
  reportVersions,
} from "../../db/schema.js";
import { AppError, ForbiddenError } from "../../errors.js";
import { hasRole } from "../../runtime/actor.js";
import type { RuntimeDeps } from "../../runtime/applyEvent.js";
import { loadAssignment, requireRole, visibleTo } from "../../policies/assignmentPolicy.js";
import { respondToInvitation } from "../../commands/respondToInvitation.js";
import { saveOpinionDraft, submitOpinion } from "../../commands/opinions.js";
import { saveReportDraft } from "../../commands/reports.js";
import { sendAssignmentEvent } from "../../commands/sendAssignmentEvent.js";
import { loadAssignmentDetail as assignmentDetail } from "../../queries/loadAssignmentDetail.js";
import { EventSchema, InvitationEventSchema, OpinionContentSchema, SaveReportSchema } from "../schemas.js";
import { parse } from "../validate.js";
import { foldVietnamese } from "../../text.js";
import { actorOf, render, tr } from "./context.js";

const str = (v: unknown) => (typeof v === "string" ? v : "");
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : v && typeof v === "object" ? Object.values(v) : []);
const REPORT_SECTIONS = ["general", "overall", "specific", "conclusions"];

export function workPages(deps: RuntimeDeps) {
  const r = Router();
  const { db, clock } = deps;

  // ---- Expert: invitations ----
  const showInvitations = async (
    req: Request,
    res: Response,
    error?: { id: string; message: string },
    status = 200,
  ) => {
    const actor = actorOf(req);
    const t = tr(req);
    const rows = actor.expertId
      ? await db
          .select({ i: invitations, a: assignments })
          .from(invitations)
          .innerJoin(assignments, eq(assignments.id, invitations.assignmentId))
          .where(and(eq(invitations.organizationId, actor.organizationId), eq(invitations.expertId, actor.expertId)))
          .orderBy(desc(invitations.createdAt))
      : [];
    render(
      req,
      res,
      "invitations",
      {
        rows: rows.map(({ i, a }) => ({
          id: i.id,
          assignmentId: a.id,
          code: a.code,
          title: a.title,
          summary: a.summary,
          role: t(`panelRole.${i.panelRole}`),
          state: i.state,
          stateLabel: t(`invitation.${i.state}`),
          dueAt: i.dueAt?.toISOString() ?? null,
          open: i.state === "invited",
          error: error?.id === i.id ? error.message : null,
        })),
      },
      status,
    );
  };
  r.get("/invitations", (req, res) => showInvitations(req, res));
  r.post("/invitations/:id", async (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const t = tr(req);
    const event =
      str(b.answer) === "accept"
        ? {
            type: "invitation.accept",
            declaration: {
              noConflict: b.noConflict === "on",
              confidentiality: b.confidentiality === "on",
              ...(str(b.note).trim() ? { note: str(b.note).trim() } : {}),
            },
          }
        : {
            type: "invitation.decline",
            reason: str(b.reason).trim(),
            ...(b.conflict === "on" ? { conflict: true } : {}),
          };
    try {
      if (event.type === "invitation.accept" && !(b.noConflict === "on" && b.confidentiality === "on"))
        throw new AppError(400, "declaration_required", t("invitation.declarationRequired"));
      const parsed = parse(InvitationEventSchema, event);
      await respondToInvitation(deps, {
        actor: actorOf(req),
        invitationId: String(req.params.id),
        event: parsed as never,
      });
    } catch (err) {
      if (err instanceof AppError && err.status < 500 && err.status !== 404)
        return showInvitations(
          req,
          res,
          {
            id: String(req.params.id),
            message: err.code === "validation_failed" ? t("invitation.reasonRequired") : err.message,
          },
          err.status,
        );
      throw err;
    }
    res.redirect(303, `/invitations?done=${event.type}`);
  });

  // ---- Expert: the opinion form (DOMAIN structure), drafts, submit, past versions ----
  const showOpinion = async (
    req: Request,
    res: Response,
    form?: { values: Record<string, unknown>; error: string },
    status = 200,
  ) => {
    const actor = actorOf(req);
    const t = tr(req);
    const a = await loadAssignment(db, actor, String(req.params.id));
    if (!actor.expertId) throw new ForbiddenError();
    const [seat] = await db
      .select({ i: invitations, e: experts })
      .from(invitations)
      .innerJoin(experts, eq(experts.id, invitations.expertId))
      .where(
        and(
          eq(invitations.assignmentId, a.id),
          eq(invitations.expertId, actor.expertId),
          eq(invitations.state, "accepted"),
        ),
      );
    if (!seat) throw new ForbiddenError(t("opinion.notMember"));
    const versions = await db
      .select()
      .from(opinionVersions)
      .where(and(eq(opinionVersions.assignmentId, a.id), eq(opinionVersions.expertId, actor.expertId)))
      .orderBy(desc(opinionVersions.version));
    const latest = versions[0];
    const content = (form?.values ??
      latest?.content ?? { general: "", specific: [], conclusion: "agree_with_revisions", recommendations: "" }) as {
      general: string;
      specific: Array<Record<string, string>>;
      conclusion: string;
      recommendations: string;
    };
    const specific = [
      ...(content.specific ?? []),
      { section: "", comment: "", suggestion: "" },
      { section: "", comment: "", suggestion: "" },
    ];
    const detail = await assignmentDetail(db, actor, a.id, clock.now());
    render(
      req,
      res,
      "opinion",
      {
        a: { id: a.id, title: a.title, code: a.code, state: a.state },
        expert: seat.e,
        role: t(`panelRole.${seat.i.panelRole}`),
        declaration: seat.i.declaration,
        content: { ...content, specific },
        conclusions: ["agree", "agree_with_revisions", "disagree"].map((c) => ({
          value: c,
          label: t(`conclusion.${c}`),
          selected: c === content.conclusion,
        })),
        canEdit: a.state === "underReview",
        hasDraft: latest?.status === "draft",
        files: detail.files,
        versions: versions.map((v) => ({
          ...v,
          statusLabel: t(`opinionStatus.${v.status}`),
          at: (v.submittedAt ?? v.createdAt).toISOString(),
        })),
        error: form?.error,
        canExtend: detail.can.some((c) => c.type === "extension.request"),
      },
      status,
    );
  };
  r.get("/assignments/:id/opinion", (req, res) => showOpinion(req, res));
  r.post("/assignments/:id/opinion", async (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const actor = actorOf(req);
    const content = {
      general: str(b.general),
      conclusion: str(b.conclusion),
      recommendations: str(b.recommendations),
      specific: arr(b.specific)
        .map((x) => x as Record<string, unknown>)
        .map((x) => ({
          section: str(x.section).trim(),
          comment: str(x.comment).trim(),
          suggestion: str(x.suggestion).trim(),
        }))
        .filter((x) => x.section || x.comment || x.suggestion),
    };
    try {
      await saveOpinionDraft(deps, {
        actor,
        assignmentId: String(req.params.id),
        content: parse(OpinionContentSchema, content),
      });
      if (str(b.action) === "submit") await submitOpinion(deps, { actor, assignmentId: String(req.params.id) });
    } catch (err) {
      if (err instanceof AppError && err.status < 500 && err.status !== 404)
        return showOpinion(req, res, { values: content, error: err.message }, err.status);
      throw err;
    }
    res.redirect(
      303,
      str(b.action) === "submit"
        ? `/assignments/${req.params.id}?done=opinion.submit`
        : `/assignments/${req.params.id}/opinion?done=opinion.save`,
    );
  });

  // ---- Secretariat: the panel builder ----
  const showPanel = async (
    req: Request,
    res: Response,
    form?: { values: Record<string, unknown>; error: string },
    status = 200,
  ) => {
    const actor = actorOf(req);
    const t = tr(req);
    requireRole(actor, "secretariat");
    const a = await loadAssignment(db, actor, String(req.params.id));
    const q = str(req.query.q).slice(0, 200);
    // The same search and load/reliability figures as GET /api/v1/experts.
    const conds = [eq(experts.organizationId, actor.organizationId), eq(experts.active, true)];
    if (q.trim()) conds.push(sql`${experts.searchText} like ${"%" + foldVietnamese(q) + "%"}`);
    const rows = await db
      .select({
        e: experts,
        agencyName: agencies.name,
        load: sql<number>`(select count(*)::int from ${invitations} i join ${assignments} x on x.id =
          i.assignment_id where i.expert_id = ${experts.id} and i.state = 'accepted'
          and x.state not in ('closed','declined','withdrawn'))`,
        declines: sql<number>`(select count(*)::int from ${invitations} i where i.expert_id = ${experts.id} and
          i.state in ('declined','expired'))`,
        invited: sql<number>`(select count(*)::int from ${invitations} i where i.expert_id = ${experts.id})`,
        late: sql<number>`(select count(*)::int from deadlines d where d.key = 'review:' || ${experts.id} and
          d.status = 'fired')`,
      })
      .from(experts)
      .leftJoin(agencies, eq(agencies.id, experts.employerAgencyId))
      .where(and(...conds))
      .orderBy(sql`${experts.fullName} collate "und-x-icu"`)
      .limit(200);
    const current = await db.select().from(invitations).where(eq(invitations.assignmentId, a.id));
    const taken = new Map(
      current.filter((i) => i.state === "invited" || i.state === "accepted").map((i) => [i.expertId, i.state]),
    );
    const detail = await assignmentDetail(db, actor, a.id, clock.now());
    const v = (form?.values ?? {}) as Record<string, Record<string, string>>;
    render(
      req,
      res,
      "panel",
      {
        a: { id: a.id, title: a.title, code: a.code, agencyId: a.agencyId, version: a.version },
        q,
        error: form?.error,
        canInvite: detail.can.some((c) => c.type === "panel.invite"),
        canSubmit: detail.can.some((c) => c.type === "panel.submit"),
        panel: detail.panel.map((p) => ({
          ...p,
          stateLabel: t(`invitation.${p.state}`),
          roleLabel: t(`panelRole.${p.role}`),
        })),
        minPanel: detail.minPanel,
        experts: rows.map((x) => {
          const conflict = !!a.agencyId && x.e.employerAgencyId === a.agencyId;
          const pick = v.pick?.[x.e.id] ?? "";
          return {
            id: x.e.id,
            name: [x.e.academicTitle, x.e.degree, x.e.fullName].filter(Boolean).join(" "),
            fields: x.e.fields.join(", "),
            workplace: x.e.workplace,
            load: Number(x.load),
            declineRate: Number(x.invited) ? Number(x.declines) / Number(x.invited) : 0,
            late: Number(x.late),
            conflict,
            conflictText: conflict ? t("panel.conflictEmployer", { agency: x.agencyName ?? "" }) : null,
            taken: taken.has(x.e.id) ? t(`invitation.${taken.get(x.e.id)}`) : null,
            options: ["", "member", "chair", "secretary", "alternate"].map((o) => ({
              value: o,
              label: o ? t(o === "alternate" ? "panel.asAlternate" : `panelRole.${o}`) : t("panel.notChosen"),
              selected: o === pick,
            })),
            rank: v.rank?.[x.e.id] ?? "",
          };
        }),
      },
      status,
    );
  };
  r.get("/assignments/:id/panel", (req, res) => showPanel(req, res));
  r.post("/assignments/:id/panel", async (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const pick = (b.pick ?? {}) as Record<string, string>;
    const rank = (b.rank ?? {}) as Record<string, string>;
    const chosen = Object.entries(pick).filter(([, role]) => role);
    const members = chosen.filter(([, role]) => role !== "alternate").map(([expertId, role]) => ({ expertId, role }));
    // Alternates in the order of their rank (1 first); each takes the role of the seat it replaces.
    const alternates = chosen
      .filter(([, role]) => role === "alternate")
      .sort(([x], [y]) => (Number(rank[x]) || 99) - (Number(rank[y]) || 99))
      .map(([expertId]) => ({ expertId, role: "member" }));
    try {
      const ev = parse(EventSchema, {
        type: "panel.invite",
        members,
        ...(alternates.length ? { alternates } : {}),
        expectedVersion: Number(b.expectedVersion) || undefined,
      }) as { type: string; expectedVersion?: number } & Record<string, unknown>;
      const { expectedVersion, ...event } = ev;
      await sendAssignmentEvent(deps, {
        actor: actorOf(req),
        assignmentId: String(req.params.id),
        event,
        expectedVersion,
      });
    } catch (err) {
      if (err instanceof AppError && err.status < 500 && err.status !== 404)
        return showPanel(
          req,
          res,
          {
            values: { pick, rank },
            error: err.code === "validation_failed" ? tr(req)("panel.pickSomeone") : err.message,
          },
          err.status,
        );
      throw err;
    }
    res.redirect(303, `/assignments/${req.params.id}/panel?done=panel.invite`);
  });

  // ---- Secretariat: the consolidation editor ----
  const showReport = async (
    req: Request,
    res: Response,
    form?: { values: Record<string, unknown>; error: string },
    status = 200,
  ) => {
    const actor = actorOf(req);
    const t = tr(req);
    requireRole(actor, "secretariat");
    const a = await loadAssignment(db, actor, String(req.params.id));
    const detail = await assignmentDetail(db, actor, a.id, clock.now());
    const [latest] = await db
      .select()
      .from(reportVersions)
      .where(eq(reportVersions.assignmentId, a.id))
      .orderBy(desc(reportVersions.version))
      .limit(1);
    const names = new Map(detail.panel.map((p) => [p.expertId, p.name]));
    const ops = detail.opinions.filter((o) => o.status === "submitted");
    const lastOps = [...new Map(ops.map((o) => [o.expertId, o])).values()];
    type RC = {
      sections: Array<{ key: string; title: string; paragraphs: Array<{ text: string; sources?: string[] }> }>;
      recommendations: Array<{ text: string; sources?: string[] }>;
      commentMatrix?: Array<{ section: string; opinion: string; proposedChange: string; expertId?: string }>;
      conclusion: string;
    };
    const content = (form?.values ??
      latest?.content ?? {
        sections: REPORT_SECTIONS.map((k) => ({ key: k, title: t(`report.section.${k}`), paragraphs: [{ text: "" }] })),
        recommendations: [],
        commentMatrix: lastOps.flatMap((o) =>
          (
            (o.content as { specific?: Array<{ section: string; comment: string; suggestion: string }> }).specific ?? []
          ).map((s) => ({
            section: s.section,
            opinion: s.comment,
            proposedChange: s.suggestion,
            expertId: o.expertId,
          })),
        ),
        conclusion: "fit_after_revision",
      }) as RC;
    const sections = REPORT_SECTIONS.map((k, si) => {
      const s = content.sections.find((x) => x.key === k) ?? {
        key: k,
        title: t(`report.section.${k}`),
        paragraphs: [],
      };
      return {
        key: k,
        si,
        title: s.title || t(`report.section.${k}`),
        paragraphs: [...s.paragraphs, { text: "" }].map((p, pi) => ({
          pi,
          text: p.text,
          sources: (p.sources ?? []).join(","),
          sourceNames: (p.sources ?? []).map((id) => names.get(lastOps.find((o) => o.id === id)?.expertId ?? "") ?? id),
        })),
      };
    });
    render(
      req,
      res,
      "report",
      {
        a: { id: a.id, title: a.title, code: a.code, state: a.state },
        error: form?.error,
        version: latest?.version ?? 0,
        canSave: a.state === "consolidation",
        canSubmit: detail.can.some((c) => c.type === "report.submit"),
        sections,
        recommendations: [...content.recommendations, { text: "" }, { text: "" }].map((x, i) => ({
          i,
          text: x.text,
          sources: (x.sources ?? []).join(","),
        })),
        matrix: [...(content.commentMatrix ?? []), { section: "", opinion: "", proposedChange: "" }].map((m, i) => ({
          i,
          ...m,
          expertName: m.expertId ? names.get(m.expertId) : "",
        })),
        conclusions: ["fit", "fit_after_revision", "not_fit"].map((c) => ({
          value: c,
          label: t(`reportConclusion.${c}`),
          selected: c === content.conclusion,
        })),
        opinions: lastOps.map((o) => {
          const c = o.content as {
            general?: string;
            specific?: Array<{ section: string; comment: string; suggestion: string }>;
            conclusion?: string;
            recommendations?: string;
          };
          return {
            id: o.id,
            expertId: o.expertId,
            name: names.get(o.expertId),
            version: o.version,
            general: c.general,
            specific: c.specific ?? [],
            recommendations: c.recommendations,
            conclusion: c.conclusion ? t(`conclusion.${c.conclusion}`) : "",
          };
        }),
        returns: detail.returns,
      },
      status,
    );
  };
  r.get("/assignments/:id/report", (req, res) => showReport(req, res));
  r.post("/assignments/:id/report", async (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const t = tr(req);
    const ids = (s: unknown) =>
      str(s)
        .split(/[\s,]+/)
        .filter((x) => /^[0-9a-f-]{36}$/i.test(x));
    const content = {
      sections: arr(b.sections).map((x, si) => {
        const s = x as Record<string, unknown>;
        return {
          key: str(s.key) || REPORT_SECTIONS[si] || `s${si}`,
          title: str(s.title).trim() || t(`report.section.${REPORT_SECTIONS[si]}`),
          paragraphs: arr(s.paragraphs)
            .map((p) => p as Record<string, unknown>)
            .filter((p) => str(p.text).trim())
            .map((p) => ({ text: str(p.text).trim(), ...(ids(p.sources).length ? { sources: ids(p.sources) } : {}) })),
        };
      }),
      recommendations: arr(b.recommendations)
        .map((x) => x as Record<string, unknown>)
        .filter((x) => str(x.text).trim())
        .map((x) => ({ text: str(x.text).trim(), ...(ids(x.sources).length ? { sources: ids(x.sources) } : {}) })),
      commentMatrix: arr(b.matrix)
        .map((x) => x as Record<string, unknown>)
        .filter((x) => str(x.opinion).trim() || str(x.proposedChange).trim())
        .map((x) => ({
          section: str(x.section).trim(),
          opinion: str(x.opinion).trim(),
          proposedChange: str(x.proposedChange).trim(),
          ...(/^[0-9a-f-]{36}$/.test(str(x.expertId)) ? { expertId: str(x.expertId) } : {}),
        })),
      conclusion: str(b.conclusion),
    };
    try {
      const body = parse(SaveReportSchema, { content, ...(str(b.note).trim() ? { note: str(b.note).trim() } : {}) });
      await saveReportDraft(deps, {
        actor: actorOf(req),
        assignmentId: String(req.params.id),
        content: body.content,
        note: body.note,
      });
    } catch (err) {
      if (err instanceof AppError && err.status < 500 && err.status !== 404)
        return showReport(req, res, { values: content, error: err.message }, err.status);
      throw err;
    }
    res.redirect(303, `/assignments/${req.params.id}/report?done=report.drafted`);
  });

  // ---- Leadership: approvals inbox ----
  r.get("/approvals", async (req, res) => {
    const actor = actorOf(req);
    const t = tr(req);
    requireRole(actor, "leadership");
    const states = [
      "screening.proposedAccept",
      "screening.proposedDecline",
      "panelFormation.proposed",
      "approval.awaitingLeadership",
      "issuing",
    ];
    const rows = await db
      .select({ a: assignments, agencyName: agencies.name })
      .from(assignments)
      .leftJoin(agencies, eq(agencies.id, assignments.agencyId))
      .where(and(visibleTo(actor), inArray(assignments.state, states)))
      .orderBy(asc(assignments.updatedAt));
    render(req, res, "approvals", {
      rows: rows.map(({ a, agencyName }) => ({
        id: a.id,
        code: a.code,
        title: a.title,
        agencyName,
        stateLabel: t(`state.${a.state}`),
        what: t(`approvals.${a.state}`),
        since: a.updatedAt.toISOString(),
      })),
    });
  });

  // ---- Clerk: incoming and outgoing registers ----
  r.get("/registers", async (req, res) => {
    const actor = actorOf(req);
    const t = tr(req);
    if (!hasRole(actor, "clerk", "secretariat", "leadership")) throw new ForbiddenError();
    const year = Number(str(req.query.year)) || Number(clock.now().toISOString().slice(0, 4));
    const incoming = await db
      .select({ a: assignments, agencyName: agencies.name })
      .from(assignments)
      .leftJoin(agencies, eq(agencies.id, assignments.agencyId))
      .where(and(visibleTo(actor), sql`extract(year from ${assignments.createdAt}) = ${year}`))
      .orderBy(asc(assignments.createdAt));
    const outgoing = await db
      .select({ d: documents, code: assignments.code, title: assignments.title })
      .from(documents)
      .leftJoin(assignments, eq(assignments.id, documents.assignmentId))
      .where(
        and(
          eq(documents.organizationId, actor.organizationId),
          isNotNull(documents.number),
          eq(documents.year, year),
          sql`(${documents.assignmentId} is null or ${visibleTo(actor)})`,
        ),
      )
      .orderBy(asc(documents.register), asc(documents.number));
    render(req, res, "registers", {
      year,
      prevYear: year - 1,
      nextYear: year + 1,
      canIssueReport: hasRole(actor, "leadership", "clerk"),
      incoming: incoming.map(({ a, agencyName }, i) => ({
        n: i + 1,
        id: a.id,
        code: a.code,
        title: a.title,
        agencyName,
        orderNumber: a.orderNumber,
        orderDate: a.orderDate,
        receivedAt: a.createdAt.toISOString(),
        registered: a.state !== "ordered",
        stateLabel: t(`state.${a.state}`),
      })),
      outgoing: outgoing.map(({ d, code, title }) => ({
        id: d.id,
        assignmentId: d.assignmentId,
        label: d.numberLabel ?? `${String(d.number).padStart(2, "0")}/${d.register}`,
        register: d.register,
        kindLabel: t(`doc.${d.kind}`),
        code,
        title,
        docTitle: d.title,
        issuedAt: d.issuedAt?.toISOString() ?? null,
        status: d.status,
      })),
    });
  });

  r.post("/registers/activity-report", async (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const quarter = str(b.quarter) ? Number(str(b.quarter)) : undefined;
    await issueActivityReport(deps, { actor: actorOf(req), year: Number(str(b.year)), quarter });
    res.redirect(303, `/registers?year=${encodeURIComponent(str(b.year))}&done=activityReport.issued`);
  });

  void opinionVersions;
  return r;
}
