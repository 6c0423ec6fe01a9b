/**
 * View model of the assignment page ("Where is it?") built from the API's detail view
 * (assignmentDetail): the statechart, whom it waits on and until when, deadlines, timeline,
 * documents, files, panel, opinions, the review tracker and the action forms for `can`.
 */
import { assignmentMachine } from "../../../workflows/assignment/assignmentMachine.js";
import { DOSSIER_FILE_KINDS } from "../../../workflows/assignment/types.js";
import { isStaff as isStaffRoles } from "../../policies/pagePolicy.js";
import { statechartSvg } from "./statechartSvg.js";
import { CUSTOM_EVENTS, eventForm, type EventFormModel } from "./eventForms.js";
import type { Translate } from "./pageTypes.js";

// The API presenter's output, read loosely by the page view model.
type Detail = Record<string, any>;

/** A failed action form on the assignment page: its event type, what was typed and the error. */
export type FormState = { type: string; values: Record<string, unknown>; error: { field?: string; message: string } };

type Options = { t: Translate; roles: string[]; expertId: string | null; now: Date; form?: FormState };

/** What the parts of the page share: the panel's names, who accepted, who submitted, what may be sent. */
type Facts = {
  names: Map<string, string>;
  accepted: Detail[];
  submitted: Set<string>;
  canTypes: string[];
  isStaff: boolean;
};

const CHECKLIST = ["scope", "dossier", "capacity", "budget", "conflicts"];
const CLOSED = ["closed", "declined", "withdrawn"];

/** The overdue keys the machine keeps in its context (a deadline that fired and was not met yet). */
export function contextOverdue(row: { snapshot: unknown }): string[] {
  return (row.snapshot as { context?: { overdue?: string[] } }).context?.overdue ?? [];
}

function factsOf(d: Detail, opts: Options): Facts {
  return {
    names: new Map<string, string>((d.panel as Detail[]).map((p) => [p.expertId, p.name])),
    accepted: (d.panel as Detail[]).filter((p) => p.state === "accepted"),
    submitted: new Set((d.opinions as Detail[]).filter((o) => o.status === "submitted").map((o) => o.expertId)),
    canTypes: (d.can as Detail[]).map((c) => c.type as string),
    isStaff: isStaffRoles({ roles: opts.roles }),
  };
}

function statechartOf(d: Detail, t: Translate) {
  return statechartSvg({
    machine: assignmentMachine,
    current: d.state,
    // The states it has been in: read apart when the timeline is a page (loadAssignmentDetail).
    visited:
      (d.visitedStates as string[] | undefined) ??
      (d.timeline as Detail[]).flatMap((h) => [h.from, h.to]).filter(Boolean),
    label: (p, compound) => (compound ? t(`stage.${p}`) : t(`state.${p}`)),
    eventLabel: (e) => t(`event.${e}`),
    title: t("assignment.statechartTitle"),
  });
}

/** The file types the preview page shows inline. */
const PREVIEWABLE = ["application/pdf", "image/png", "image/jpeg"];

/**
 * The statechart folded into the steps of the work, in order (phones show this list instead of the
 * chart): each step's name, whether it is done, the current one.
 */
function stepsOf(d: Detail, t: Translate) {
  const active = assignmentMachine.root.states.active;
  const names = [...Object.keys(active.states).filter((k) => k !== "hist"), "closed"];
  const top = (s: unknown) => String(s ?? "").split(".")[0];
  const current = top(d.state);
  const visited = new Set((d.timeline as Detail[]).flatMap((h) => [top(h.from), top(h.to)]));
  return names.map((name) => {
    const compound = name !== "closed" && Object.keys(active.states[name].states).length > 0;
    return {
      label: compound ? t(`stage.${name}`) : t(`state.${name}`),
      current: name === current,
      done: name !== current && visited.has(name),
    };
  });
}

/** The experts an action form offers: pending extension requests, or accepted members yet to submit. */
function expertChoices(type: string, d: Detail, f: Facts, t: Translate) {
  if (type === "extension.grant" || type === "extension.refuse") {
    return (d.extensionRequests as Detail[])
      .filter((r) => r.status === "pending")
      .map((r) => ({
        value: r.expertId,
        label: `${f.names.get(r.expertId) ?? r.expertId} (${r.days} ${t("unit.days")}: ${r.reason})`,
      }));
  }
  return f.accepted.filter((p) => !f.submitted.has(p.expertId)).map((p) => ({ value: p.expertId, label: p.name }));
}

function actionForms(d: Detail, f: Facts, opts: Options): EventFormModel[] {
  const { t, form } = opts;
  return (d.can as Detail[])
    .filter((c) => !CUSTOM_EVENTS.has(c.type))
    .map((c) => {
      const mine = form !== undefined && form.type === c.type;
      const model = eventForm({
        type: c.type,
        schema: c.schema,
        t,
        experts: expertChoices(c.type, d, f, t),
        values: mine ? form.values : undefined,
        error: mine ? form.error : undefined,
      });
      // reminder.send: an empty choice means every expert who has not submitted.
      if (c.type === "reminder.send")
        for (const x of model.fields)
          if (x.kind === "expert")
            x.options = [{ value: "", label: t("tracker.allPending"), selected: true }, ...(x.options ?? [])];
      const checklist =
        c.type === "order.proposeAccept" ? CHECKLIST.map((k) => ({ key: k, label: t(`checklist.${k}`) })) : null;
      return { ...model, open: mine, checklist };
    });
}

/** A state in words: an invitation's own states (invited, accepted…), else the assignment's. */
function stateWord(workflow: string, state: string, t: Translate): string {
  return workflow === "invitation" ? t(`invitation.${state}`) : t(`state.${state}`);
}

function timelineOf(d: Detail, t: Translate) {
  return [...(d.timeline as Detail[])].reverse().map((h) => ({
    ...h,
    eventLabel: t(`event.${h.event}`),
    fromLabel: h.from ? stateWord(h.workflow, h.from, t) : null,
    toLabel: stateWord(h.workflow, h.to, t),
    why: h.reason ?? h.payload?.note ?? h.payload?.comments ?? h.payload?.reasons ?? h.payload?.reason ?? null,
    changed: h.from !== h.to,
  }));
}

function linksOf(d: Detail, f: Facts, opts: Options) {
  const has = (r: string) => opts.roles.includes(r);
  return {
    panel: f.canTypes.includes("panel.invite"),
    report: has("secretariat") && d.state === "consolidation",
    opinion: !!opts.expertId && d.state === "underReview" && f.accepted.some((p) => p.expertId === opts.expertId),
    response: f.canTypes.includes("response.submit") || f.canTypes.includes("response.save"),
    // Self-initiated work: the Union records a recipient's written answer.
    recordAnswer: f.canTypes.includes("response.record"),
    upload: (has("agency") || has("secretariat") || has("clerk")) && !CLOSED.includes(d.state),
    money: has("secretariat") || has("leadership") || has("accountant"),
  };
}

/** The review tracker (staff, while under review): who submitted, who is late, whom to remind. */
function trackerOf(d: Detail, f: Facts, t: Translate) {
  if (d.state !== "underReview" || !f.isStaff) return null;
  const overdueKeys = new Set((d.deadlines as Detail[]).filter((x) => x.overdue).map((x) => x.key as string));
  const fired = (d.contextOverdue ?? []) as string[];
  const latest = new Map<string, Detail>();
  for (const o of d.opinions as Detail[]) latest.set(o.expertId, o);
  return f.accepted.map((p) => {
    const submitted = f.submitted.has(p.expertId);
    return {
      expertId: p.expertId,
      name: p.name,
      roleLabel: t(`panelRole.${p.role}`),
      submitted,
      submittedAt: latest.get(p.expertId)?.submittedAt ?? null,
      late: !submitted && [`review:${p.expertId}`, "review"].some((k) => overdueKeys.has(k) || fired.includes(k)),
      remind: f.canTypes.includes("reminder.send") && !submitted,
    };
  });
}

function documentsOf(d: Detail, t: Translate, roles: string[]) {
  const signer = roles.includes("clerk") || roles.includes("leadership");
  return (d.documents as Detail[]).map((x) => ({
    ...x,
    downloadable: x.status === "issued",
    // Signing elsewhere (USB token): the clerk or leadership uploads the issued PDF signed.
    signElsewhere: signer && x.status === "issued",
    kindLabel: t(`doc.${x.kind}`),
    label:
      x.numberLabel ??
      (x.number ? `${String(x.number).padStart(2, "0")}/${x.year} (${x.register})` : t("doc.unnumbered")),
  }));
}

/** The recommendations with the agency's answer (or what it just typed, when its form failed). */
function recommendationsOf(d: Detail, opts: Options) {
  const { t, form } = opts;
  const typed = (form?.values as Detail | undefined)?.answers as Detail | undefined;
  return (d.recommendations as Detail[]).map((r) => ({
    ...r,
    responseLabel: r.response ? t(`response.${r.response.status}`) : null,
    statusOptions: ["accepted", "partly", "not_accepted"].map((s) => ({
      value: s,
      label: t(`response.${s}`),
      selected: typed?.[r.id]?.status === s || (!form && r.response?.status === s),
    })),
    explanation: typed?.[r.id]?.explanation ?? r.response?.explanation ?? "",
  }));
}

function peopleOf(d: Detail, f: Facts, t: Translate) {
  return {
    panel: (d.panel as Detail[]).map((p) => ({
      ...p,
      stateLabel: t(`invitation.${p.state}`),
      roleLabel: t(`panelRole.${p.role}`),
    })),
    opinions: (d.opinions as Detail[]).map((o) => ({
      ...o,
      expertName: f.names.get(o.expertId) ?? t("opinion.expert"),
      conclusionLabel: o.content?.conclusion ? t(`conclusion.${o.content.conclusion}`) : "",
    })),
  };
}

/** The page model. `t` translates in the request's locale; `form` is a failed action form to show again. */
export function presentAssignmentPage(d: Detail, opts: Options) {
  const { t, form } = opts;
  const f = factsOf(d, opts);
  return {
    a: d,
    title: `${d.code as string} · ${d.title as string}`,
    stateLabel: t(`state.${d.state}`),
    waitingOnLabel: d.waitingOn ? t(`role.${d.waitingOn}`) : null,
    svg: statechartOf(d, t),
    steps: stepsOf(d, t),
    deadlines: deadlinesFor(d, f, opts),
    expertNext: expertNextOf(d, f, opts),
    timeline: timelineOf(d, t),
    // The timeline shows a page (the most recent rows); these open the rows before it, and back.
    timelineOlder: typeof d.timelineOlder === "number" ? `?older=${String(d.timelineOlder)}#tl-h` : null,
    timelineNewest: d.timelineNewer ? "?#tl-h" : null,
    forms: actionForms(d, f, opts),
    links: linksOf(d, f, opts),
    ...peopleOf(d, f, t),
    tracker: trackerOf(d, f, t),
    documents: documentsOf(d, t, opts.roles),
    files: (d.files as Detail[]).map((x) => ({
      ...x,
      kindLabel: t(`fileKind.${x.kind}`),
      // PDFs and images open in the browser (the preview page checks their bytes again).
      preview: PREVIEWABLE.includes(String(x.contentType)),
    })),
    recommendations: recommendationsOf(d, opts),
    responseError: form && form.type.startsWith("response.") ? form.error.message : null,
    fileKinds: DOSSIER_FILE_KINDS.map((k) => ({ value: k, label: t(`fileKind.${k}`) })),
    isStaff: f.isStaff,
    uploadError: form?.type === "upload" ? form.error.message : null,
    signedUploadError: form?.type === "signed" ? form.error.message : null,
  };
}

/**
 * A deadline's name in words: "review:<expertId>" → "Hạn gửi ý kiến — <name>"; a reminder row
 * "response#before-3" → "Hạn cơ quan phản hồi — nhắc trước 3 ngày làm việc".
 */
export function deadlineLabel(
  key: string,
  t: (k: string, vars?: Record<string, unknown>) => string,
  names: Map<string, string>,
): string {
  const [deadline, reminder] = key.split("#");
  const [k, who] = deadline.split(":");
  const base = who ? `${t(`deadline.${k}`)} — ${names.get(who) ?? t("opinion.expert")}` : t(`deadline.${k}`);
  if (!reminder) return base;
  const m = /^(before|after)-(\d+)$/.exec(reminder);
  return `${base} — ${m ? t(`reminder.${m[1]}`, { n: m[2] }) : t(`reminder.${reminder}`)}`;
}

/** The review deadline that binds this expert: their own (after an extension), else the panel's. */
function myReviewDeadline(d: Detail, expertId: string): Detail | undefined {
  const all = d.deadlines as Detail[];
  return all.find((x) => x.key === `review:${expertId}`) ?? all.find((x) => x.key === "review");
}

/** The running deadlines; an expert sees one review deadline, their own, named as theirs. */
function deadlinesFor(d: Detail, f: Facts, opts: Options) {
  const { t, expertId } = opts;
  const all = d.deadlines as Detail[];
  if (f.isStaff || !expertId) return all.map((x) => ({ ...x, label: deadlineLabel(x.key as string, t, f.names) }));
  const mine = myReviewDeadline(d, expertId);
  return all
    .filter((x) => !String(x.key).startsWith("review") || x === mine)
    .map((x) => ({ ...x, label: x === mine ? t("deadline.myReview") : deadlineLabel(x.key as string, t, f.names) }));
}

/** For an expert on the panel: what happens next and when, and the one thing to do now. */
function expertNextOf(d: Detail, f: Facts, opts: Options) {
  const { t, expertId } = opts;
  if (!expertId || f.isStaff) return null;
  const seat = (d.panel as Detail[]).find((p) => p.expertId === expertId);
  if (!seat) return null;
  const due = myReviewDeadline(d, expertId)?.dueAt ?? null;
  if (seat.state === "invited")
    return { text: t("expertNext.answer"), href: "/invitations", action: t("expertNext.answerAction") };
  if (seat.state !== "accepted") return null;
  const state = String(d.state);
  if (state.startsWith("panelFormation"))
    return { text: t("expertNext.waitPanel", { days: d.plan?.reviewDays ?? "—" }), href: null, action: null };
  if (state.startsWith("underReview") && f.submitted.has(expertId))
    return { text: t("expertNext.submitted"), href: null, action: null };
  if (state.startsWith("underReview"))
    return { text: t("expertNext.write"), dueAt: due, href: `/assignments/${d.id}/opinion`, action: t("opinion.open") };
  return { text: t("expertNext.after"), href: null, action: null };
}
