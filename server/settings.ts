/**
 * Organisation settings with their defaults. Everything an organisation may change lives here
 * (timelines in working days, minimum panel and opinions per form, names and signers used by
 * documents, mail sender). Stored as JSON on the organisation row; missing keys take defaults.
 */
import type { Timeline, WorkForm } from "../workflows/assignment/types.js";
import { defaultReminderPolicy, type ReminderPolicy } from "./mail/reminderPlan.js";

export type OrgSettings = {
  parentBody: string;
  issuerName: string;
  issuerAbbr: string;
  unitAbbr: string;
  place: string;
  address: string;
  email: string;
  phone: string;
  timeline: Timeline;
  minPanel: Record<WorkForm, number>;
  minOpinions: Record<WorkForm, number>;
  signers: Array<{
    key: string;
    name: string;
    title: string;
    authority: "" | "TM." | "KT." | "Q." | "TL." | "TUQ.";
    authorityTitle?: string;
  }>;
  margins: { top: number; bottom: number; left: number; right: number };
  mail: { fromName: string; fromAddress: string; replyTo?: string };
  weekend: number[];
  /** Reminder policy per step ("review", "response"), falling back to "default". */
  reminders: Record<string, ReminderPolicy>;
};

export const DEFAULT_SETTINGS: OrgSettings = {
  parentBody: "LIÊN HIỆP CÁC HỘI KH&KT VIỆT NAM",
  issuerName: "LIÊN HIỆP CÁC HỘI KHOA HỌC VÀ KỸ THUẬT TỈNH",
  issuerAbbr: "LHH",
  unitAbbr: "TVPB",
  place: "",
  address: "",
  email: "",
  phone: "",
  timeline: {
    screeningWorkingDays: 5,
    planningWorkingDays: 5,
    invitationWorkingDays: 3,
    reviewDays: 15,
    consolidationWorkingDays: 5,
    responseDays: 30,
  },
  minPanel: { council: 5, expert_group: 3, workshop: 3, written: 3 },
  minOpinions: { council: 5, expert_group: 3, workshop: 2, written: 3 },
  signers: [],
  margins: { top: 20, bottom: 20, left: 30, right: 15 },
  mail: { fromName: "Liên hiệp các Hội KH&KT", fromAddress: "tvpb@localhost" },
  weekend: [0, 6],
  reminders: { default: { ...defaultReminderPolicy } },
};

/** Merges stored settings over the defaults (one level deep for nested objects). */
export function resolveSettings(stored: Record<string, unknown> | null | undefined): OrgSettings {
  const s = (stored ?? {}) as Partial<OrgSettings>;
  return {
    ...DEFAULT_SETTINGS,
    ...s,
    timeline: { ...DEFAULT_SETTINGS.timeline, ...(s.timeline ?? {}) },
    minPanel: { ...DEFAULT_SETTINGS.minPanel, ...(s.minPanel ?? {}) },
    minOpinions: { ...DEFAULT_SETTINGS.minOpinions, ...(s.minOpinions ?? {}) },
    margins: { ...DEFAULT_SETTINGS.margins, ...(s.margins ?? {}) },
    mail: { ...DEFAULT_SETTINGS.mail, ...(s.mail ?? {}) },
    reminders: { ...DEFAULT_SETTINGS.reminders, ...(s.reminders ?? {}) },
  };
}

/** The strictest minimum among an assignment's forms. */
export function minimumFor(table: Record<WorkForm, number>, forms: WorkForm[]): number {
  return Math.max(1, ...forms.map((f) => table[f] ?? 1));
}
