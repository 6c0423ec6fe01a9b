/**
 * The embedded document font: Tinos (metric-compatible with Times New Roman) from
 * @fontsource/tinos, as `@font-face` rules. Documents name only this family, so Chromium never
 * reaches for a system font and `pdffonts` lists only Tinos.
 *
 * Two forms of the same rules: `inline` (each font a base64 data: URL, ~580 KB of CSS: the HTML
 * stands alone, as the previews shown in a browser need) and `linked` (each font a URL under
 * DOCUMENT_FONT_ORIGIN, ~4 KB of CSS), which the PDF renderer answers from memory with
 * documentFontFile() (server/adapters/pdf.ts), so a render no longer carries and parses the fonts
 * as text.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** The CSS family name every document template uses. */
export const DOCUMENT_FONT_FAMILY = "TVPB Tinos";

/** Where linked fonts live: a name that never resolves; only the PDF renderer answers it. */
export const DOCUMENT_FONT_ORIGIN = "https://document-fonts.tvpb.invalid";

/** How the font rules carry the fonts: inline data: URLs, or links the PDF renderer serves. */
export type FontDelivery = "inline" | "linked";

/** Subsets that cover Vietnamese text, punctuation (– “ ” …) and the đồng sign. */
const SUBSETS = ["latin", "latin-ext", "vietnamese"] as const;
const WEIGHTS = [400, 700] as const;
const STYLES = ["normal", "italic"] as const;

type FontFile = { name: string; subset: string; weight: number; style: string; bytes: Buffer };

let files: Map<string, FontFile> | undefined;
const cachedCss: Partial<Record<FontDelivery, string>> = {};

/** Where @fontsource/tinos is installed. @throws Error when it is missing. */
function tinosDir(): string {
  return dirname(createRequire(import.meta.url).resolve("@fontsource/tinos/package.json"));
}

/** The twelve woff2 files, read once per process. @throws Error when @fontsource/tinos is missing. */
function fontFiles(): Map<string, FontFile> {
  if (files) return files;
  const pkgDir = tinosDir();
  const loaded = new Map<string, FontFile>();
  for (const subset of SUBSETS) {
    for (const weight of WEIGHTS) {
      for (const style of STYLES) {
        const name = `tinos-${subset}-${weight}-${style}.woff2`;
        loaded.set(name, { name, subset, weight, style, bytes: readFileSync(join(pkgDir, "files", name)) });
      }
    }
  }
  files = loaded;
  return loaded;
}

function unicodeRanges(): Record<string, string> {
  return JSON.parse(readFileSync(join(tinosDir(), "unicode.json"), "utf8")) as Record<string, string>;
}

/**
 * `@font-face` rules for Tinos 400/700 normal/italic in the latin, latin-ext and vietnamese
 * subsets, each with its unicode-range; the fonts inlined as data: URLs (the default) or linked
 * under DOCUMENT_FONT_ORIGIN. Built once per process and form.
 * @throws Error when @fontsource/tinos is not installed.
 */
export function tinosFontFaceCss(delivery: FontDelivery = "inline"): string {
  const done = cachedCss[delivery];
  if (done) return done;
  const ranges = unicodeRanges();
  const rules = [...fontFiles().values()].map((f) => {
    const url =
      delivery === "inline"
        ? `data:font/woff2;base64,${f.bytes.toString("base64")}`
        : `${DOCUMENT_FONT_ORIGIN}/${f.name}`;
    return (
      `@font-face{font-family:"${DOCUMENT_FONT_FAMILY}";font-style:${f.style};font-weight:${f.weight};` +
      `font-display:block;src:url(${url}) format("woff2");unicode-range:${ranges[f.subset]};}`
    );
  });
  cachedCss[delivery] = rules.join("\n");
  return cachedCss[delivery];
}

/** The bytes of a linked font URL (`DOCUMENT_FONT_ORIGIN/<file>`), or null for any other URL. */
export function documentFontFile(url: string): Buffer | null {
  if (!url.startsWith(`${DOCUMENT_FONT_ORIGIN}/`)) return null;
  return fontFiles().get(url.slice(DOCUMENT_FONT_ORIGIN.length + 1))?.bytes ?? null;
}
