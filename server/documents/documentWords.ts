/**
 * The words official documents print for codes, read from the catalogue (documents are in
 * Vietnamese: Decree 30/2020/NĐ-CP). The legal sentences themselves live in the templates and the
 * view-model builders; what a code is called lives here.
 */
import { hasLabel, label } from "../words/catalogue.js";
import type { AssignmentType, DocumentKind, PanelKind, PanelRole, Urgency } from "./types.js";

/** The work as it runs in a sentence: "tư vấn", "phản biện", "giám định" ("" for an unknown type). */
export function workOf(type: AssignmentType | string): string {
  return hasLabel("type", type) ? label("type", type).toLocaleLowerCase("vi") : "";
}

/** The panel's name: "Hội đồng" or "Tổ chuyên gia". */
export function panelWord(kind: PanelKind): string {
  return label("form", kind === "expertGroup" ? "expert_group" : "council");
}

/** A member's title on the panel: "Ủy viên thư ký khoa học" on a council, "Thư ký" in an expert group. */
export function panelRoleTitle(role: PanelRole, kind: PanelKind): string {
  const key = `${kind === "expertGroup" ? "expertGroup" : "council"}.${role}`;
  return hasLabel("documentRole", key) ? label("documentRole", key) : "";
}

/** The urgency mark in capitals ("KHẨN", "THƯỢNG KHẨN", "HỎA TỐC"); none for an ordinary order. */
export function urgencyMark(code: string | null | undefined): Urgency | undefined {
  if (!code || code === "none" || !hasLabel("urgency", code)) return undefined;
  return label("urgency", code).toLocaleUpperCase("vi") as Urgency;
}

/** How an order names its subject kind in a sentence ("đề nghị phản biện Đề án"); undefined for "other". */
export function subjectKindInText(code: string): string | undefined {
  return hasLabel("documentSubject", code) ? label("documentSubject", code) : undefined;
}

/** The Decree 30 type of a document kind: "Công văn", "Quyết định", "Báo cáo"… */
export function documentTypeName(kind: DocumentKind): string {
  return label("documentType", kind);
}

/** The buckets of the activity report's status column, by the assignment's state. */
const ACTIVITY_STATUS: Array<[RegExp, string]> = [
  [/^(ordered|screening)/, "received"],
  [/^planning/, "planning"],
  [/^(panelFormation|underReview)/, "inProgress"],
  [/^(consolidation|approval|issuing)/, "consolidating"],
  [/^sent|^awaitingResponse/, "sent"],
  [/^responded|^closed/, "responded"],
  [/^declined/, "declined"],
  [/^withdrawn/, "withdrawn"],
  [/^onHold/, "onHold"],
];

/**
 * The activity report's status bucket of a state ("inProgress", "declined"…), or null. A nested
 * state ("active.underReview", "open.active.review") is read from its deepest part outwards.
 */
export function activityStatusOf(state: string): string | null {
  const parts = state.split(".").reverse();
  for (const part of parts) {
    const hit = ACTIVITY_STATUS.find(([re]) => re.test(part));
    if (hit) return hit[1];
  }
  return null;
}
