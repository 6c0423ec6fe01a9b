/**
 * E-mail templates: `templates/emails/<locale>/<name>.{subject,html,text}.hbs`, each read and
 * compiled once, on its first render, then rendered from memory. HTML templates wrap their content in
 * the shared `layout` partial (`templates/emails/partials/`); each locale has its own partials
 * (`<locale>/partials/`: the assignment box, the sign-off, the footer). Subject and text templates
 * are not HTML-escaped; HTML templates are.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import Handlebars from "handlebars";
import { ValidationError } from "../errors.js";
import {
  EMAIL_TEMPLATE_NAMES,
  type EmailLocale,
  type EmailTemplateData,
  type EmailTemplateName,
  type RenderedEmail,
} from "./types.js";

/** The default locale and the fallback for an unknown one. */
export const DEFAULT_EMAIL_LOCALE: EmailLocale = "vi";

/** Renders the named template in a locale. */
export type EmailTemplates = {
  /**
   * Renders `name` in `locale` (an unknown locale, or a template missing in it, falls back to vi;
   * "en-GB" means "en"). The subject is one trimmed line; the text has no runs of blank lines.
   * Throws ValidationError `unknown_email_template` for a name that has no template.
   */
  render<N extends EmailTemplateName>(name: N, locale: string, data: EmailTemplateData[N]): RenderedEmail;
  /** The template names found (at least all of EMAIL_TEMPLATE_NAMES). */
  names(): string[];
};

type Compiled = {
  subject: HandlebarsTemplateDelegate;
  html: HandlebarsTemplateDelegate;
  text: HandlebarsTemplateDelegate;
};

/**
 * The templates under `dir` (normally `templates/emails`). Throws Error if a built-in template is
 * missing in vi or any template lacks one of its three files (seen from the folders' listings);
 * with `check`, also if a template does not parse or names an unknown partial. The server does not
 * check, and reads and compiles each template on its first render (reading all 132 files and the
 * partials cost a few hundred milliseconds of start-up): the test suite parses and renders every
 * built-in template in every locale, so a broken one cannot ship.
 */
export function createEmailTemplates(options: { dir: string; check?: boolean }): EmailTemplates {
  const { dir } = options;
  const locales = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== "partials")
    .map((e) => e.name);
  if (!locales.includes(DEFAULT_EMAIL_LOCALE))
    throw new Error(`E-mail templates: no '${DEFAULT_EMAIL_LOCALE}' folder in ${dir}`);
  const byLocale = new Map<string, LocaleTemplates>();
  for (const locale of locales) byLocale.set(locale, localeTemplates(dir, locale, !!options.check));
  const vi = byLocale.get(DEFAULT_EMAIL_LOCALE)!;
  const missing = EMAIL_TEMPLATE_NAMES.filter((n) => !vi.names.includes(n));
  if (missing.length) throw new Error(`E-mail templates missing in vi: ${missing.join(", ")}`);

  return {
    render(name, locale, data) {
      const lang = resolveLocale(locale, byLocale);
      const own = byLocale.get(lang)?.get(name);
      const tpl = own ?? vi.get(name);
      if (!tpl) throw new ValidationError("unknown_email_template", `Không có mẫu thư "${String(name)}".`, "name");
      return renderCompiled(tpl, data, own ? lang : DEFAULT_EMAIL_LOCALE);
    },
    names() {
      return [...vi.names].sort();
    },
  };
}

/** Subject (one trimmed line), HTML, and text without trailing blanks or runs of blank lines. */
function renderCompiled(tpl: Compiled, data: unknown, lang: string): RenderedEmail {
  const subject = tpl.subject(data).replace(/\s+/g, " ").trim();
  const context = { ...(data as object), _meta: { subject, lang } };
  const html = tpl.html(context);
  const text = tpl
    .text(context)
    .replace(/\r\n?/g, "\n")
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim()
    .concat("\n");
  return { subject, html, text };
}

/** One locale's templates: their names, and each compiled on first use (null for a name it lacks). */
type LocaleTemplates = { names: string[]; get(name: string): Compiled | null };

/**
 * The templates of one locale, each read and compiled on its first `get` with the locale's own
 * Handlebars instance (shared partials, then the locale's; built on the first `get` too).
 * @throws Error when a template lacks one of its three files, or (with `check`) does not parse.
 */
function localeTemplates(dir: string, locale: string, check: boolean): LocaleTemplates {
  const files = new Set(readdirSync(path.join(dir, locale)));
  const names = [...files].filter((f) => f.endsWith(".subject.hbs")).map((f) => f.slice(0, -".subject.hbs".length));
  for (const name of names)
    for (const kind of ["html", "text"])
      if (!files.has(`${name}.${kind}.hbs`))
        throw new Error(`E-mail template ${locale}/${name}: missing ${name}.${kind}.hbs`);
  let hb: typeof Handlebars | null = null;
  const compiled = new Map<string, Compiled>();
  const get = (name: string): Compiled | null => {
    if (!names.includes(name)) return null;
    hb ??= localeHandlebars(dir, locale);
    let tpl = compiled.get(name);
    if (!tpl) compiled.set(name, (tpl = compileTemplate(hb, dir, locale, name, check)));
    return tpl;
  };
  if (check) for (const name of names) get(name);
  return { names, get };
}

/** A Handlebars instance with the helpers, the shared partials and then the locale's own. */
function localeHandlebars(dir: string, locale: string): typeof Handlebars {
  const hb = Handlebars.create();
  registerHelpers(hb);
  for (const [name, source] of [
    ...readPartials(path.join(dir, "partials")),
    ...readPartials(path.join(dir, locale, "partials")),
  ])
    hb.registerPartial(name, source);
  return hb;
}

/** Reads one template's three files and compiles them (with `check`, parses them first). */
function compileTemplate(hb: typeof Handlebars, dir: string, locale: string, name: string, check: boolean): Compiled {
  const read = (kind: string) => readFileSync(path.join(dir, locale, `${name}.${kind}.hbs`), "utf8");
  const opts = { strict: false, preventIndent: true };
  const sources = { subject: read("subject"), html: read("html"), text: read("text") };
  if (check) for (const [kind, source] of Object.entries(sources)) syntaxCheck(hb, source, `${locale}/${name}.${kind}`);
  return {
    subject: hb.compile(sources.subject, { ...opts, noEscape: true }),
    html: hb.compile(sources.html, opts),
    text: hb.compile(sources.text, { ...opts, noEscape: true }),
  };
}

function resolveLocale(locale: string, known: Map<string, unknown>): string {
  const base = String(locale ?? "")
    .toLowerCase()
    .split(/[-_]/)[0];
  return known.has(base) ? base : DEFAULT_EMAIL_LOCALE;
}

function readPartials(dir: string): Array<[string, string]> {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".hbs"))
    .map((f) => [f.slice(0, -".hbs".length), readFileSync(path.join(dir, f), "utf8")]);
}

function registerHelpers(hb: typeof Handlebars): void {
  // Only what variants need: equality and 1-based numbering. Formatting happens before rendering.
  hb.registerHelper("eq", (a: unknown, b: unknown) => a === b);
  hb.registerHelper("inc", (n: unknown) => Number(n) + 1);
}

/**
 * Parses a template and checks that every partial it names is registered.
 * @throws Error naming the template when it does not parse or uses an unknown partial.
 */
function syntaxCheck(hb: typeof Handlebars, source: string, label: string): void {
  let ast: unknown;
  try {
    ast = hb.parse(source);
  } catch (err) {
    throw new Error(`E-mail template ${label} does not compile: ${(err as Error).message}`);
  }
  const walk = (node: unknown): void => {
    if (!node || typeof node !== "object") return;
    if (Array.isArray(node)) return node.forEach(walk);
    const n = node as { type?: string; name?: { original?: unknown } };
    if (
      (n.type === "PartialStatement" || n.type === "PartialBlockStatement") &&
      typeof n.name?.original === "string" &&
      !hb.partials[n.name.original]
    ) {
      throw new Error(`E-mail template ${label} does not compile: the partial ${n.name.original} could not be found`);
    }
    for (const [k, v] of Object.entries(node)) if (k !== "loc") walk(v);
  };
  walk(ast);
}
