/**
 * The secretariat's panel builder: the panel so far, and the registry's experts with what helps
 * choose them (fields, workplace, current load, decline rate, late opinions, a conflict with the
 * ordering agency as employer, a seat already offered) and a role to pick for each.
 */
import type { searchPanelCandidates } from "../../queries/searchPanelCandidates.js";
import { personName } from "../../words/personName.js";
import type { FailedForm, Translate } from "./pageTypes.js";

type Search = Awaited<ReturnType<typeof searchPanelCandidates>>;
type Picks = { pick?: Record<string, string>; rank?: Record<string, string> };
// The assignment detail (assignmentDetail), read loosely.
type Detail = {
  can: Array<{ type: string }>;
  panel: Array<{ state: string; role: string } & Record<string, unknown>>;
  minPanel?: unknown;
};

const ROLE_CHOICES = ["", "member", "chair", "secretary", "alternate"];

function roleOptions(pick: string, t: Translate) {
  return ROLE_CHOICES.map((o) => ({
    value: o,
    label: o ? t(o === "alternate" ? "panel.asAlternate" : `panelRole.${o}`) : t("panel.notChosen"),
    selected: o === pick,
  }));
}

function candidatesOf(search: Search, agencyId: string | null, picks: Picks, t: Translate) {
  const taken = new Map(search.seats.map((s) => [s.expertId, s.state]));
  return search.candidates.map((x) => {
    const e = x.expert;
    const conflict = !!agencyId && e.employerAgencyId === agencyId;
    const seat = taken.get(e.id);
    return {
      id: e.id,
      name: personName(e),
      fields: e.fields.join(", "),
      workplace: e.workplace,
      load: x.load,
      declineRate: x.invited ? x.declines / x.invited : 0,
      late: x.late,
      conflict,
      conflictText: conflict ? t("panel.conflictEmployer", { agency: x.agencyName ?? "" }) : null,
      taken: seat ? t(`invitation.${seat}`) : null,
      options: roleOptions(picks.pick?.[e.id] ?? "", t),
      rank: picks.rank?.[e.id] ?? "",
    };
  });
}

/** The page model; `failed` is a refused invitation with the picks that were made. */
export function presentPanelBuilder(
  input: {
    assignment: { id: string; title: string; code: string; agencyId: string | null; version: number };
    q: string;
    search: Search;
    detail: Detail;
    failed?: FailedForm<Picks>;
  },
  t: Translate,
) {
  const { assignment: a, detail } = input;
  return {
    a: { id: a.id, title: a.title, code: a.code, agencyId: a.agencyId, version: a.version },
    q: input.q,
    error: input.failed?.error,
    canInvite: detail.can.some((c) => c.type === "panel.invite"),
    canSubmit: detail.can.some((c) => c.type === "panel.submit"),
    panel: detail.panel.map((p) => ({
      ...p,
      stateLabel: t(`invitation.${p.state}`),
      roleLabel: t(`panelRole.${p.role}`),
    })),
    minPanel: detail.minPanel,
    experts: candidatesOf(input.search, a.agencyId, input.failed?.values ?? {}, t),
  };
}
