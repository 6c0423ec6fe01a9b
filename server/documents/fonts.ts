/**
 * The embedded document font: Tinos (metric-compatible with Times New Roman) from
 * @fontsource/tinos, as base64 `@font-face` rules. Documents name only this family, so Chromium
 * never reaches for a system font and `pdffonts` lists only Tinos.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** The CSS family name every document template uses. */
export const DOCUMENT_FONT_FAMILY = "TVPB Tinos";

/** Subsets that cover Vietnamese text, punctuation (– “ ” …) and the đồng sign. */
const SUBSETS = ["latin", "latin-ext", "vietnamese"] as const;
const WEIGHTS = [400, 700] as const;
const STYLES = ["normal", "italic"] as const;

let cached: string | undefined;

/**
 * `@font-face` rules for Tinos 400/700 normal/italic in the latin, latin-ext and vietnamese
 * subsets, each with its unicode-range, fonts inlined as data: URLs (the page has no network).
 * Built once per process. @throws Error when @fontsource/tinos is not installed.
 */
export function tinosFontFaceCss(): string {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const pkgDir = dirname(require.resolve("@fontsource/tinos/package.json"));
  const ranges = JSON.parse(readFileSync(join(pkgDir, "unicode.json"), "utf8")) as Record<string, string>;
  const rules: string[] = [];
  for (const subset of SUBSETS) {
    for (const weight of WEIGHTS) {
      for (const style of STYLES) {
        const file = join(pkgDir, "files", `tinos-${subset}-${weight}-${style}.woff2`);
        const data = readFileSync(file).toString("base64");
        rules.push(
          `@font-face{font-family:"${DOCUMENT_FONT_FAMILY}";font-style:${style};font-weight:${weight};` +
            `font-display:block;src:url(data:font/woff2;base64,${data}) ` +
            `format("woff2");unicode-range:${ranges[subset]};}`,
        );
      }
    }
  }
  cached = rules.join("\n");
  return cached;
}
