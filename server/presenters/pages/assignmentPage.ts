/**
 * View model of the assignment page ("Where is it?") built from the API's detail view
 * (assignmentDetail): the statechart, whom it waits on and until when, deadlines, timeline,
 * documents, files, panel, opinions, the review tracker and the action forms for `can`.
 */
import { assignmentMachine } from "../../../workflows/assignment/assignmentMachine.js";
import { statechartSvg } from "./statechart.js";
import { CUSTOM_EVENTS, eventForm, type EventFormModel } from "./eventForms.js";

// The API presenter's output, read loosely by the page view model.
type Detail = Record<string, any>;

export type FormState = { type: string; values: Record<string, unknown>; error: { field?: string; message: string } };

const CHECKLIST = ["scope", "dossier", "capacity", "budget", "conflicts"];

/** The page model. `t` translates in the request's locale. */
export function presentAssignmentPage(
  d: Detail,
  opts: {
    t: (k: string, v?: Record<string, unknown>) => string;
    roles: string[];
    expertId: string | null;
    now: Date;
    form?: FormState;
  },
) {
  const { t } = opts;
  const names = new Map<string, string>((d.panel as Detail[]).map((p) => [p.expertId, p.name]));
  const stateLabel = (p: string) => t(`state.${p}`);
  const visited = (d.timeline as Detail[]).flatMap((h) => [h.from, h.to]).filter(Boolean);
  const svg = statechartSvg({
    machine: assignmentMachine,
    current: d.state,
    visited,
    label: (p, compound) => (compound ? t(`stage.${p}`) : stateLabel(p)),
    eventLabel: (e) => t(`event.${e}`),
    title: t("assignment.statechartTitle"),
  });
  const submitted = new Set((d.opinions as Detail[]).filter((o) => o.status === "submitted").map((o) => o.expertId));
  const canTypes = (d.can as Detail[]).map((c) => c.type as string);
  const overdueKeys = new Set((d.deadlines as Detail[]).filter((x) => x.overdue).map((x) => x.key as string));
  const accepted = (d.panel as Detail[]).filter((p) => p.state === "accepted");
  const expertsFor = (type: string) => {
    if (type === "extension.grant" || type === "extension.refuse") {
      return (d.extensionRequests as Detail[])
        .filter((r) => r.status === "pending")
        .map((r) => ({
          value: r.expertId,
          label: `${names.get(r.expertId) ?? r.expertId} (${r.days} ${t("unit.days")}: ${r.reason})`,
        }));
    }
    return accepted.filter((p) => !submitted.has(p.expertId)).map((p) => ({ value: p.expertId, label: p.name }));
  };
  const forms: EventFormModel[] = (d.can as Detail[])
    .filter((c) => !CUSTOM_EVENTS.has(c.type))
    .map((c) => {
      const f = eventForm({
        type: c.type,
        schema: c.schema,
        t,
        experts: expertsFor(c.type),
        values: opts.form?.type === c.type ? opts.form!.values : undefined,
        error: opts.form?.type === c.type ? opts.form!.error : undefined,
      });
      // reminder.send: an empty choice means every expert who has not submitted.
      if (c.type === "reminder.send")
        f.fields.forEach((x) => {
          if (x.kind === "expert")
            x.options = [{ value: "", label: t("tracker.allPending"), selected: true }, ...(x.options ?? [])];
        });
      return {
        ...f,
        open: opts.form?.type === c.type,
        checklist:
          c.type === "order.proposeAccept" ? CHECKLIST.map((k) => ({ key: k, label: t(`checklist.${k}`) })) : null,
      };
    });
  const latestByExpert = new Map<string, Detail>();
  for (const o of d.opinions as Detail[]) latestByExpert.set(o.expertId, o);
  const isStaff = opts.roles.some((r) => ["secretariat", "leadership", "clerk", "admin"].includes(r));
  return {
    a: d,
    stateLabel: stateLabel(d.state),
    waitingOnLabel: d.waitingOn ? t(`role.${d.waitingOn}`) : null,
    svg,
    deadlines: (d.deadlines as Detail[]).map((x) => ({ ...x, label: deadlineLabel(x.key, t, names) })),
    timeline: [...(d.timeline as Detail[])].reverse().map((h) => ({
      ...h,
      eventLabel: t(`event.${h.event}`),
      fromLabel: h.from ? stateLabel(h.from) : null,
      toLabel: stateLabel(h.to),
      why: h.reason ?? h.payload?.note ?? h.payload?.comments ?? h.payload?.reasons ?? h.payload?.reason ?? null,
      changed: h.from !== h.to,
    })),
    forms,
    links: {
      panel: canTypes.includes("panel.invite"),
      report: opts.roles.includes("secretariat") && d.state === "consolidation",
      opinion: !!opts.expertId && d.state === "underReview" && accepted.some((p) => p.expertId === opts.expertId),
      response: canTypes.includes("response.submit") || canTypes.includes("response.save"),
      upload:
        (opts.roles.includes("agency") || opts.roles.includes("secretariat") || opts.roles.includes("clerk")) &&
        !["closed", "declined", "withdrawn"].includes(d.state),
    },
    panel: (d.panel as Detail[]).map((p) => ({
      ...p,
      stateLabel: t(`invitation.${p.state}`),
      roleLabel: t(`panelRole.${p.role}`),
    })),
    tracker:
      d.state === "underReview" && isStaff
        ? accepted.map((p) => ({
            expertId: p.expertId,
            name: p.name,
            roleLabel: t(`panelRole.${p.role}`),
            submitted: submitted.has(p.expertId),
            submittedAt: latestByExpert.get(p.expertId)?.submittedAt ?? null,
            late:
              !submitted.has(p.expertId) &&
              [`review:${p.expertId}`, "review"].some(
                (k) => overdueKeys.has(k) || ((d.contextOverdue ?? []) as string[]).includes(k),
              ),
            remind: canTypes.includes("reminder.send") && !submitted.has(p.expertId),
          }))
        : null,
    opinions: (d.opinions as Detail[]).map((o) => ({
      ...o,
      expertName: names.get(o.expertId) ?? t("opinion.expert"),
      conclusionLabel: o.content?.conclusion ? t(`conclusion.${o.content.conclusion}`) : "",
    })),
    documents: (d.documents as Detail[]).map((x) => ({
      ...x,
      downloadable: x.status === "issued",
      kindLabel: t(`doc.${x.kind}`),
      label:
        x.numberLabel ??
        (x.number ? `${String(x.number).padStart(2, "0")}/${x.year} (${x.register})` : t("doc.unnumbered")),
    })),
    files: (d.files as Detail[]).map((f) => ({ ...f, kindLabel: t(`fileKind.${f.kind}`) })),
    recommendations: (d.recommendations as Detail[]).map((r) => ({
      ...r,
      responseLabel: r.response ? t(`response.${r.response.status}`) : null,
      statusOptions: ["accepted", "partly", "not_accepted"].map((s) => ({
        value: s,
        label: t(`response.${s}`),
        selected:
          (opts.form?.values as Detail | undefined)?.answers?.[r.id]?.status === s ||
          (!opts.form && r.response?.status === s),
      })),
      explanation:
        (opts.form?.values as Detail | undefined)?.answers?.[r.id]?.explanation ?? r.response?.explanation ?? "",
    })),
    responseError: opts.form && opts.form.type.startsWith("response.") ? opts.form.error.message : null,
    fileKinds: ["request_letter", "draft", "submission", "annex", "supplement", "confidential_annex", "other"].map(
      (k) => ({ value: k, label: t(`fileKind.${k}`) }),
    ),
    isStaff,
  };
}

/** "review:<expertId>" → "Hạn gửi ý kiến — <name>". */
export function deadlineLabel(key: string, t: (k: string) => string, names: Map<string, string>): string {
  const [k, who] = key.split(":");
  const base = t(`deadline.${k}`);
  return who ? `${base} — ${names.get(who) ?? ""}` : base;
}
