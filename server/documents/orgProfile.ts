/**
 * The organisation as its documents print it: names, abbreviations, place, signers, seal and
 * margins, from the organisation's row and settings; and which signer signs which kind.
 */
import { resolveSettings, type OrgSettings } from "../settings.js";
import type { AuthorityPrefix, DocumentKind, OrgProfile, Signer } from "./types.js";

/**
 * The document settings an organisation may add to `organizations.settings` beyond OrgSettings.
 * All optional; defaults are derived from the organisation's names.
 */
export type DocumentSettings = {
  /** The issuer's name in running text; default `organizations.name`. */
  displayName?: string;
  /** Short form after first use; default "Liên hiệp hội". */
  documentShortName?: string;
  /** The issuer's name broken into header lines. */
  issuerNameLines?: string[];
  /** The drafting unit; default "Ban Tư vấn, phản biện và giám định xã hội". */
  unitName?: string;
  /** Province named in legal bases; default `place`. */
  province?: string;
  /** The provincial regulation on TVPB&GĐXH quoted among the legal bases. */
  provincialRegulation?: string;
  /** Archive codes after "Lưu:"; default `VT, <unitAbbr>`. */
  archiveCodes?: string;
  /** The seal (red, transparent PNG) as a data URL. */
  sealImage?: string;
  /** Handwritten signature images (blue, transparent PNG data URLs) by signer key. */
  signerImages?: Record<string, string>;
  /** Which signer (settings.signers[].key) signs which document kind; see defaultSignerKey. */
  documentSigners?: Partial<Record<DocumentKind, string>>;
};

export type AllSettings = OrgSettings & DocumentSettings;

/** Kinds the leadership signs as a collective (TM. BAN THƯỜNG VỤ / CHỦ TỊCH) when a "chairman" signer exists. */
const COLLECTIVE_KINDS: DocumentKind[] = [
  "panelDecision",
  "finalReport",
  "activityReport",
  "planSubmission",
  "planExecutionReport",
];

/** Splits a long issuer name into two header lines ("LIÊN HIỆP CÁC HỘI KHOA HỌC" / "VÀ KỸ THUẬT TỈNH …"). */
function headerLines(name: string): string[] {
  const at = name.indexOf(" VÀ ");
  if (name.length <= 40 || at < 0) return [name];
  return [name.slice(0, at), name.slice(at + 1)];
}

/** The organisation profile documents print, from its row and settings. */
export function orgProfile(org: { name: string; settings: Record<string, unknown> }): {
  profile: OrgProfile;
  settings: AllSettings;
  signerKeys: string[];
} {
  const s = { ...(org.settings as DocumentSettings), ...resolveSettings(org.settings) } as AllSettings;
  const signers: Record<string, Signer> = {};
  for (const x of s.signers) {
    signers[x.key] = {
      ...(x.authority ? { authority: { prefix: x.authority as AuthorityPrefix, of: x.authorityTitle ?? "" } } : {}),
      title: x.title,
      name: x.name,
    };
  }
  const first = s.signers[0]?.key;
  const fallback: Signer = { authority: { prefix: "TM.", of: "BAN THƯỜNG VỤ" }, title: "CHỦ TỊCH", name: "" };
  const profile: OrgProfile = {
    ...(s.parentBody ? { parentBody: s.parentBody } : {}),
    issuerName: s.issuerName,
    issuerNameLines: s.issuerNameLines ?? headerLines(s.issuerName),
    displayName: s.displayName ?? org.name,
    shortName: s.documentShortName ?? "Liên hiệp hội",
    issuerAbbr: s.issuerAbbr,
    unitAbbr: s.unitAbbr,
    unitName: s.unitName ?? "Ban Tư vấn, phản biện và giám định xã hội",
    place: s.place || "…",
    province: s.province ?? s.place,
    ...(s.provincialRegulation ? { provincialRegulation: s.provincialRegulation } : {}),
    ...(s.address ? { address: s.address } : {}),
    ...(s.phone ? { phone: s.phone } : {}),
    ...(s.email ? { email: s.email } : {}),
    signers: { ...signers, default: signers.default ?? (first ? signers[first] : fallback) },
    ...(s.sealImage ? { sealImage: s.sealImage } : {}),
    margins: s.margins,
    ...(s.archiveCodes ? { archiveCodes: s.archiveCodes } : {}),
  };
  return { profile, settings: s, signerKeys: s.signers.map((x) => x.key) };
}

/**
 * Which signer signs a kind: `settings.documentSigners[kind]` when set; else the chairman
 * (TM. BAN THƯỜNG VỤ / CHỦ TỊCH) for decisions and reports when a signer keyed "chairman" exists;
 * else the default (the first signer, typically KT. CHỦ TỊCH / PHÓ CHỦ TỊCH).
 */
export function defaultSignerKey(kind: DocumentKind, settings: AllSettings, keys: string[]): string {
  const chosen = settings.documentSigners?.[kind];
  if (chosen && keys.includes(chosen)) return chosen;
  if (COLLECTIVE_KINDS.includes(kind) && keys.includes("chairman")) return "chairman";
  return "default";
}
