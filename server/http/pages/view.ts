/**
 * The web UI's view engine: Handlebars layouts, partials and pages from templates/, compiled once,
 * with the locale's strings (templates/locales/{vi,en}.json) behind the `t` helper. Pages only ever
 * receive view models (server/presenters/pages).
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Handlebars from "handlebars";

import { translate, type Locale } from "../../words/catalogue.js";
export { LOCALES, localeStrings, translate, type Locale } from "../../words/catalogue.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const dir = (p: string) => path.join(root, "templates", p);

const VN_TZ = "Asia/Ho_Chi_Minh";

/** dd/mm/yyyy (and hh:mm) in Vietnam time. */
export function formatDate(value: unknown, withTime = false): string {
  if (!value) return "";
  const d =
    value instanceof Date
      ? value
      : new Date(String(value).length === 10 ? `${String(value)}T00:00:00+07:00` : String(value));
  if (Number.isNaN(d.getTime())) return String(value);
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: VN_TZ,
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
  }).formatToParts(d);
  const p = (t: string) => parts.find((x) => x.type === t)?.value ?? "";
  return `${p("day")}/${p("month")}/${p("year")}${withTime ? ` ${p("hour")}:${p("minute")}` : ""}`;
}

function createEngine() {
  const hb = Handlebars.create();
  hb.registerHelper("t", function (this: unknown, key: string, options: Handlebars.HelperOptions) {
    const root = options.data?.root as { locale?: Locale } | undefined;
    return translate(root?.locale ?? "vi", key, options.hash as Record<string, unknown>);
  });
  // t with a computed key: (tk "state." state)
  hb.registerHelper("tk", function (...args: unknown[]) {
    const options = args.pop() as Handlebars.HelperOptions;
    const root = options.data?.root as { locale?: Locale } | undefined;
    return translate(root?.locale ?? "vi", args.map(String).join(""), options.hash as Record<string, unknown>);
  });
  hb.registerHelper("eq", (a: unknown, b: unknown) => a === b);
  hb.registerHelper("ne", (a: unknown, b: unknown) => a !== b);
  hb.registerHelper("not", (a: unknown) => !a);
  hb.registerHelper("and", (...a: unknown[]) => a.slice(0, -1).every(Boolean));
  hb.registerHelper("or", (...a: unknown[]) => a.slice(0, -1).find(Boolean) ?? false);
  hb.registerHelper("includes", (list: unknown, v: unknown) => Array.isArray(list) && list.includes(v));
  hb.registerHelper("date", (v: unknown) => formatDate(v));
  hb.registerHelper("datetime", (v: unknown) => formatDate(v, true));
  hb.registerHelper("money", (v: unknown) =>
    v === null || v === undefined || v === "" ? "" : new Intl.NumberFormat("vi-VN").format(Number(v)) + " đ",
  );
  hb.registerHelper("inc", (v: unknown) => Number(v) + 1);
  hb.registerHelper("pct", (v: unknown) => `${Math.round(Number(v) * 100)}%`);
  hb.registerHelper("kb", (v: unknown) => `${Math.max(1, Math.round(Number(v) / 1024))} KB`);
  hb.registerHelper("json", (v: unknown) => new hb.SafeString(JSON.stringify(v ?? null).replace(/</g, "\\u003c")));
  hb.registerHelper("raw", (v: unknown) => new hb.SafeString(String(v ?? "")));
  hb.registerHelper("lines", (v: unknown) => (Array.isArray(v) ? v.join("\n") : String(v ?? "")));
  hb.registerHelper("array", (...a: unknown[]) => a.slice(0, -1));
  hb.registerHelper("concat", (...a: unknown[]) => a.slice(0, -1).map(String).join(""));

  for (const f of fs.readdirSync(dir("partials"))) {
    if (f.endsWith(".hbs")) hb.registerPartial(f.slice(0, -4), fs.readFileSync(dir(`partials/${f}`), "utf8"));
  }
  const layout = hb.compile(fs.readFileSync(dir("layouts/main.hbs"), "utf8"));
  const pages = new Map<string, HandlebarsTemplateDelegate>();
  for (const f of fs.readdirSync(dir("pages"))) {
    if (f.endsWith(".hbs")) pages.set(f.slice(0, -4), hb.compile(fs.readFileSync(dir(`pages/${f}`), "utf8")));
  }
  return { layout, pages };
}

let engine: ReturnType<typeof createEngine> | null = null;

/** Renders a page inside the layout. `model` must carry the layout's fields (see pageModel). */
export function renderPage(name: string, model: Record<string, unknown>): string {
  engine ??= createEngine();
  const page = engine.pages.get(name);
  if (!page) throw new Error(`No page template "${name}"`);
  const body = page(model);
  return engine.layout({ ...model, body });
}
