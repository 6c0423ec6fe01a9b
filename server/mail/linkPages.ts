/**
 * The small standalone pages of the link flows (answer an invitation, sign in with a link) and of
 * the demo outbox: `templates/links/<name>.hbs` inside `layout.hbs`, compiled once. Bilingual
 * (Vietnamese, then English), inline CSS, no scripts. Everything is HTML-escaped.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Handlebars from "handlebars";
import { translate } from "../words/catalogue.js";

/** templates/links of this checkout. */
export const LINK_PAGES_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "templates",
  "links",
);

export type LinkPageName = "invitation" | "message" | "signin" | "outbox" | "outboxMessage";

export type LinkPages = {
  /** Renders a page; `title` and `orgName` go to the layout. Throws Error for an unknown page. */
  render(
    name: LinkPageName,
    data: Record<string, unknown> & { title: string; orgName?: string; wide?: boolean },
  ): string;
};

/** Compiles every template in `dir` (normally templates/links). Throws if `layout.hbs` is missing. */
export function createLinkPages(dir: string): LinkPages {
  const hb = Handlebars.create();
  const pages = new Map<string, HandlebarsTemplateDelegate>();
  for (const f of readdirSync(dir).filter((x) => x.endsWith(".hbs"))) {
    pages.set(f.slice(0, -4), hb.compile(readFileSync(path.join(dir, f), "utf8"), { strict: false }));
  }
  const layout = pages.get("layout");
  if (!layout) throw new Error(`Link pages: no layout.hbs in ${dir}`);
  return {
    render(name, data) {
      const page = pages.get(name);
      if (!page) throw new Error(`Link pages: no ${name}.hbs`);
      const orgName = data.orgName ?? "Liên hiệp các Hội Khoa học và Kỹ thuật";
      return layout({ title: data.title, orgName, wide: data.wide, body: page({ ...data, orgName }) });
    },
  };
}

/** The error codes whose message page has words of its own (`link.<code>.heading`, `link.<code>.text`). */
const LINK_MESSAGE_CODES = [
  "link_used",
  "link_expired",
  "link_tampered",
  "link_wrong_person",
  "csrf_failed",
  "invitation_not_found",
  "invitation_closed",
  "validation_failed",
] as const;

/** The heading and text of a message page, each as [Vietnamese, English], from the catalogue. */
function linkMessage(code: string): { heading: [string, string]; text: [string, string] } {
  const both = (key: string): [string, string] => [translate("vi", key), translate("en", key)];
  return { heading: both(`link.${code}.heading`), text: both(`link.${code}.text`) };
}

/** The message page's texts for an error code, in both languages. */
export const LINK_MESSAGES: Record<string, { heading: [string, string]; text: [string, string] }> = Object.fromEntries(
  LINK_MESSAGE_CODES.map((code) => [code, linkMessage(code)]),
);
