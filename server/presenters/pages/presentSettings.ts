/** The organisation settings page: the stored settings (with defaults), one empty signer more, a year's holidays. */
import { resolveSettings } from "../../settings.js";
import type { loadOrganizationSettings } from "../../queries/loadOrganizationSettings.js";

const FORMS = ["council", "expert_group", "workshop", "written"] as const;

/** The page model; `extra` carries a refused form's message and field. */
export function presentSettings(
  data: Awaited<ReturnType<typeof loadOrganizationSettings>>,
  year: number,
  extra: Record<string, unknown> = {},
) {
  const s = resolveSettings(data.org.settings);
  const rem = s.reminders.default;
  const blankSigner = { key: "", name: "", title: "", authority: "", authorityTitle: "" };
  return {
    org: data.org,
    s,
    year,
    holidaysText: data.holidays.map((h) => `${h.day} ${h.name}`).join("\n"),
    signers: [...s.signers, blankSigner].map((x, i) => ({ ...x, i })),
    timelineFields: Object.entries(s.timeline).map(([k, v]) => ({ k, v })),
    minFields: FORMS.map((f) => ({ f, panel: s.minPanel[f], opinions: s.minOpinions[f] })),
    reminder: {
      before: rem.before.join(", "),
      onDue: rem.onDue,
      after: rem.after.join(", "),
      escalateSecretariatAfter: rem.escalateSecretariatAfter,
      escalateLeadershipAfter: rem.escalateLeadershipAfter,
    },
    ...extra,
  };
}
