/**
 * The Handlebars helpers every web page may use (the UI's pages, the link pages, the verify pages
 * and the outbox pages): words from the catalogue (`t`, `tk`), comparisons, dates in Vietnam time,
 * money, numbers and a few list builders. Official documents and e-mails keep their own helpers.
 */
import type Handlebars from "handlebars";
import { translate, type Locale } from "../words/catalogue.js";

/** Vietnam's offset from UTC: +07:00 all year (no daylight saving since 1975). */
const VN_OFFSET_MS = 7 * 3_600_000;
const two = (n: number) => String(n).padStart(2, "0");

/**
 * dd/mm/yyyy (and hh:mm) in Vietnam time; a bare yyyy-mm-dd is a Vietnamese calendar day. Computed
 * from the fixed offset, not with Intl.DateTimeFormat: building a formatter with a time zone costs
 * about a millisecond, and a register page shows 200 dates (issue 15, branch pages6).
 */
export function formatDate(value: unknown, withTime = false): string {
  if (!value) return "";
  const d =
    value instanceof Date
      ? value
      : new Date(String(value).length === 10 ? `${String(value)}T00:00:00+07:00` : String(value));
  if (Number.isNaN(d.getTime())) return String(value);
  const v = new Date(d.getTime() + VN_OFFSET_MS);
  const day = `${two(v.getUTCDate())}/${two(v.getUTCMonth() + 1)}/${String(v.getUTCFullYear()).padStart(4, "0")}`;
  return withTime ? `${day} ${two(v.getUTCHours())}:${two(v.getUTCMinutes())}` : day;
}

/** The locale of the page being rendered (the root model's `locale`), Vietnamese by default. */
function localeOf(options: Handlebars.HelperOptions): Locale {
  return (options.data?.root as { locale?: Locale } | undefined)?.locale ?? "vi";
}

/** Handlebars passes its options last; the helpers that take a list drop it. */
const argsOf = (a: unknown[]) => a.slice(0, -1);

function registerWordHelpers(hb: typeof Handlebars): void {
  hb.registerHelper("t", (key: string, options: Handlebars.HelperOptions) =>
    translate(localeOf(options), key, options.hash as Record<string, unknown>),
  );
  // t with a computed key: (tk "state." state)
  hb.registerHelper("tk", (...args: unknown[]) => {
    const options = args.pop() as Handlebars.HelperOptions;
    return translate(localeOf(options), args.map(String).join(""), options.hash as Record<string, unknown>);
  });
}

function registerLogicHelpers(hb: typeof Handlebars): void {
  hb.registerHelper("eq", (a: unknown, b: unknown) => a === b);
  hb.registerHelper("ne", (a: unknown, b: unknown) => a !== b);
  hb.registerHelper("not", (a: unknown) => !a);
  hb.registerHelper("and", (...a: unknown[]) => argsOf(a).every(Boolean));
  hb.registerHelper("or", (...a: unknown[]) => argsOf(a).find(Boolean) ?? false);
  hb.registerHelper("includes", (list: unknown, v: unknown) => Array.isArray(list) && list.includes(v));
  hb.registerHelper("array", (...a: unknown[]) => argsOf(a));
  hb.registerHelper("concat", (...a: unknown[]) => argsOf(a).map(String).join(""));
}

/** Built once: a formatter costs far more to build than to use. */
const DONG_DIGITS = new Intl.NumberFormat("vi-VN");

function registerFormatHelpers(hb: typeof Handlebars): void {
  hb.registerHelper("date", (v: unknown) => formatDate(v));
  hb.registerHelper("datetime", (v: unknown) => formatDate(v, true));
  hb.registerHelper("money", (v: unknown) =>
    v === null || v === undefined || v === "" ? "" : DONG_DIGITS.format(Number(v)) + " đ",
  );
  hb.registerHelper("inc", (v: unknown) => Number(v) + 1);
  hb.registerHelper("pct", (v: unknown) => `${Math.round(Number(v) * 100)}%`);
  hb.registerHelper("kb", (v: unknown) => `${Math.max(1, Math.round(Number(v) / 1024))} KB`);
  hb.registerHelper("json", (v: unknown) => new hb.SafeString(JSON.stringify(v ?? null).replace(/</g, "\\u003c")));
  hb.registerHelper("raw", (v: unknown) => new hb.SafeString(String(v ?? "")));
  hb.registerHelper("lines", (v: unknown) => (Array.isArray(v) ? v.join("\n") : String(v ?? "")));
}

/** Registers every web-page helper on a Handlebars environment. */
export function registerViewHelpers(hb: typeof Handlebars): void {
  registerWordHelpers(hb);
  registerLogicHelpers(hb);
  registerFormatHelpers(hb);
}
