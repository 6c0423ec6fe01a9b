/**
 * The document settings page: the seal image, each signer's signature image, and every document
 * kind's template (built in or the organisation's own), one of them open in the editor.
 */
import { resolveSettings } from "../../settings.js";
import type { Translate } from "./pageTypes.js";

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
    ...input.extra,
  };
}
