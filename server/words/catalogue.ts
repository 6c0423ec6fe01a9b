/**
 * The one catalogue of words: every label a person reads (states, types, forms, subject kinds,
 * roles, errors, messages) comes from templates/locales/{vi,en}.json through `translate`.
 * Codes stay in the program; words live here.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export type Locale = "vi" | "en";
export const LOCALES: readonly Locale[] = ["vi", "en"];

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const localeFile = (locale: Locale) => path.join(root, "templates", "locales", `${locale}.json`);

type Strings = Record<string, string>;
let strings: Record<Locale, Strings> | null = null;

/** The strings of a locale (loaded once). */
export function localeStrings(locale: Locale): Strings {
  strings ??= {
    vi: JSON.parse(fs.readFileSync(localeFile("vi"), "utf8")) as Strings,
    en: JSON.parse(fs.readFileSync(localeFile("en"), "utf8")) as Strings,
  };
  return strings[locale];
}

/** Translates a key with {name} placeholders; falls back to Vietnamese, then to the key. */
export function translate(locale: Locale, key: string, vars: Record<string, unknown> = {}): string {
  const s = localeStrings(locale)[key] ?? localeStrings("vi")[key] ?? key;
  // Most words have no placeholder: no regular expression run for them (a report maps thousands of rows).
  if (!s.includes("{")) return s;
  return s.replace(/\{(\w+)\}/g, (_m, k: string) => (vars[k] === undefined || vars[k] === null ? "" : String(vars[k])));
}

/** Groups of codes that have a word each in the catalogue (`<group>.<code>` keys). */
export type LabelGroup =
  | "state"
  | "type"
  | "form"
  | "subjectKind"
  | "role"
  | "panelRole"
  | "urgency"
  | "origin"
  | "fileKind"
  | "reportConclusion"
  | "event"
  | (string & {});

/** The word for a code, e.g. `label("state", "underReview")` → "Đang phản biện". */
export function label(group: LabelGroup, code: string, locale: Locale = "vi"): string {
  return translate(locale, `${group}.${code}`);
}

/** True when the catalogue has a word for this code (tests use it to find codes without words). */
export function hasLabel(group: LabelGroup, code: string, locale: Locale = "vi"): boolean {
  return `${group}.${code}` in localeStrings(locale);
}

/** The catalogue bound to one locale: what a mail, a presenter or a document builder reads words through. */
export interface Words {
  readonly locale: Locale;
  /** `translate(locale, key, vars)`. */
  t(key: string, vars?: Record<string, unknown>): string;
  /** `label(group, code, locale)`. */
  label(group: LabelGroup, code: string): string;
  /** The label as it runs inside a sentence, in lower case: "phản biện", "critique", "hội đồng". */
  lower(group: LabelGroup, code: string): string;
  /** The label when the catalogue has one, else `fallback` (default: the code itself). */
  labelOr(group: LabelGroup, code: string, fallback?: string): string;
  /** A counted phrase: `<key>.one` for 1, `<key>.other` otherwise, with `{n}`. */
  count(key: string, n: number, vars?: Record<string, unknown>): string;
}

/** The words of one locale (`wordsFor("en").label("type", "critique")` → "Critique"). */
export function wordsFor(locale: Locale): Words {
  const lang = locale === "en" ? "en" : "vi";
  return {
    locale: lang,
    t: (key, vars) => translate(lang, key, vars),
    label: (group, code) => label(group, code, lang),
    lower: (group, code) => label(group, code, lang).toLocaleLowerCase(lang),
    labelOr: (group, code, fallback = code) => (hasLabel(group, code, lang) ? label(group, code, lang) : fallback),
    count: (key, n, vars = {}) => translate(lang, `${key}.${n === 1 ? "one" : "other"}`, { ...vars, n }),
  };
}
