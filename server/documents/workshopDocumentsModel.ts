/** The workshop's documents: the meeting invitation (giấy mời) and the minutes (biên bản). */
import { ValidationError } from "../errors.js";
import type { DocumentModels } from "./types.js";
import { eventPayload, lines, panelMembers } from "./assignmentData.js";
import type { ModelContext } from "./modelContext.js";

/**
 * Giấy mời hội thảo: when, where, who is invited, the agenda.
 * @throws ValidationError `document_data_missing` when the workshop is not scheduled.
 */
export async function meetingInvitationModel(c: ModelContext): Promise<DocumentModels["meetingInvitation"]> {
  const { d, subject, work } = c;
  const payload = await eventPayload(c.db, d.a.id, "workshop.schedule", c.meta.version);
  const scheduledAt = (payload?.scheduledAt as string | undefined) ?? d.context.workshop?.scheduledAt;
  const place = (payload?.place as string | undefined) ?? d.context.workshop?.place;
  if (!scheduledAt) throw new ValidationError("document_data_missing", "Chưa có lịch hội thảo.");
  const members = await panelMembers(c.db, d.a.id);
  const chair = members.find((m) => m.role === "chair");
  return {
    ...c.base,
    ...c.marks,
    recipients: ["Như trên", c.leaders],
    asAbove: false,
    subject,
    title: `Tham dự Hội thảo khoa học ${work} ${subject.title}`,
    invitees: [
      `Đại diện lãnh đạo ${c.agencyName}`,
      ...c.drafting.map((x) => `Đại diện lãnh đạo ${x}`),
      ...members.map((m) => `${m.name}, ${m.workplace}`),
    ],
    startsAt: new Date(scheduledAt).toISOString(),
    venue: place ?? "…",
    agenda: [
      `${subject.draftingAgency} trình bày tóm tắt ${subject.title}`,
      `Các chuyên gia trình bày ý kiến ${work}`,
      "Thảo luận",
      `${chair ? "Chủ tịch Hội đồng" : "Chủ trì"} kết luận`,
    ],
    ...(chair ? { chairedBy: `${chair.name}, Chủ tịch Hội đồng ${work}` } : {}),
  };
}

/** Biên bản hội thảo: who chaired and took the minutes, who attended, what was said and concluded. */
export async function minutesModel(c: ModelContext): Promise<DocumentModels["minutes"]> {
  const { d, subject } = c;
  const payload = await eventPayload(c.db, d.a.id, "workshop.record", c.meta.version);
  const members = await panelMembers(c.db, d.a.id);
  const chair = members.find((m) => m.role === "chair") ?? members[0];
  const secretary = members.find((m) => m.role === "secretary") ?? members.find((m) => m !== chair);
  const startsAt = new Date(d.context.workshop?.scheduledAt ?? c.at);
  const attendees = (payload?.attendees as string[] | undefined) ?? [];
  const { proceedings, conclusions } = remarksOf(payload?.minutes as string | undefined);
  return {
    ...c.base,
    ...c.marks,
    recipients: [],
    subject,
    title: `Hội thảo khoa học ${c.work} ${subject.title}`,
    startsAt: startsAt.toISOString(),
    // The engine records no end time; a workshop is a morning session.
    endsAt: new Date(startsAt.getTime() + 3.5 * 3600_000).toISOString(),
    venue: d.context.workshop?.place ?? "…",
    chair: chair ? `${chair.name}, Chủ tịch Hội đồng` : "…",
    secretary: secretary ? `${secretary.name}, Thư ký` : "…",
    present: attendees.length ? attendees : members.map((m) => m.name),
    proceedings,
    conclusions,
    secretarySigner: { title: "THƯ KÝ", name: secretary?.name ?? "" },
    chairSigner: { title: "CHỦ TỊCH HỘI ĐỒNG", name: chair?.name ?? "" },
  };
}

/** A line "TS. Trần Đức Hưng: nội dung" names its speaker (a name, not a sentence, before the colon). */
const SPEAKER_LINE = /^((?:[^\s:;]+\s*){1,8}?)\s*:\s*(.+)$/u;
const CONCLUSION_SPEAKER = /^(kết luận|chủ trì kết luận)$/iu;

/**
 * Each speaker's remarks, separately and in order: a line "Name: remarks" is that person's; a line
 * without a name continues the previous speaker's remarks, or is a record of its own (no speaker)
 * when nobody has spoken yet. Lines "Kết luận: …" are the conclusions; without any, the last line
 * of the record is.
 */
export function remarksOf(text: string | undefined) {
  const proceedings: Array<{ speaker: string; content: string }> = [];
  const conclusions: string[] = [];
  for (const line of (text ?? "")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)) {
    const m = SPEAKER_LINE.exec(line);
    const capital = (s: string) => s.charAt(0).toLocaleUpperCase("vi") + s.slice(1);
    if (m && CONCLUSION_SPEAKER.test(m[1])) conclusions.push(capital(m[2].replace(/[.;]$/, "")));
    else if (m) proceedings.push({ speaker: m[1], content: capital(m[2]) });
    else if (proceedings.length && proceedings.at(-1)!.speaker) proceedings.at(-1)!.content += ` ${capital(line)}`;
    else proceedings.push({ speaker: "", content: capital(line) });
  }
  if (!conclusions.length && proceedings.length > 1 && !proceedings.at(-1)!.speaker)
    conclusions.push(proceedings.pop()!.content.replace(/[.;]$/, ""));
  return { proceedings, conclusions };
}
