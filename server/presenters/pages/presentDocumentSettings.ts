/**
 * The document settings page: the seal image, each signer's signature image, and every document
 * kind's template (built in or the organisation's own), one of them open in the editor.
 */
import { resolveSettings } from "../../settings.js";
import type { Translate } from "./pageTypes.js";
import type { SigningKeyView } from "../../queries/loadSigningKeys.js";

/** The images an organisation keeps in its settings (PNG data URLs). */
export type DocumentImages = { sealImage?: string; signerImages?: Record<string, string> };

type TemplateSource = { kind: string; override: string | null; builtIn: string };

/**
 * The page model. `editing` is the kind open in the editor; `extra` a refused save (its `source`
 * is shown instead of the stored one) or upload.
 */
export function presentDocumentSettings(
  input: {
    settings: Record<string, unknown> | null;
    templates: TemplateSource[];
    editing: string;
    extra: Record<string, unknown>;
    signing: { active: SigningKeyView | null; expiresSoon: boolean; history: SigningKeyView[] };
  },
  t: Translate,
) {
  const s = resolveSettings(input.settings);
  const images = (input.settings ?? {}) as DocumentImages;
  const typed = typeof input.extra.source === "string" ? input.extra.source : null;
  const templates = input.templates.map((x) => ({
    kind: x.kind,
    label: t(`doc.${x.kind}`),
    overridden: x.override !== null,
    editing: x.kind === input.editing,
    source: x.kind === input.editing ? (typed ?? x.override ?? x.builtIn) : "",
  }));
  return {
    seal: images.sealImage ?? null,
    signers: s.signers.map((sg) => ({ ...sg, image: images.signerImages?.[sg.key] ?? null })),
    templates,
    editing: templates.find((x) => x.editing) ?? null,
    signing: presentSigning(input.signing, t),
    ...input.extra,
  };
}

const day = (d: Date) => d.toISOString().slice(0, 10).split("-").reverse().join("/");

/** The signing key section: the active certificate's public facts, the expiry warning, the history. */
function presentSigning(
  s: { active: SigningKeyView | null; expiresSoon: boolean; history: SigningKeyView[] },
  t: Translate,
) {
  const row = (k: SigningKeyView) => ({
    subject: k.subject,
    issuer: k.issuer,
    serialNumber: k.serialNumber,
    validity: `${day(k.notBefore)} – ${day(k.notAfter)}`,
    status: t(`docs.keyStatus.${k.status}`),
    installedAt: day(k.installedAt),
    retiredAt: k.retiredAt ? day(k.retiredAt) : "",
  });
  return {
    active: s.active ? row(s.active) : null,
    warning: s.active && s.expiresSoon ? t("docs.keyExpiresSoon", { date: day(s.active.notAfter) }) : null,
    history: s.history.filter((k) => k.status !== "active").map(row),
  };
}
