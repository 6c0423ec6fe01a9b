/**
 * The one view engine for every web page: a single Handlebars environment with the helpers of
 * viewHelpers.ts and the partials of templates/partials, compiled once on first use. Three sets
 * of templates share it, each inside its own layout:
 *
 * - `pages`  — the signed-in UI (templates/pages inside templates/layouts/main.hbs);
 * - `links`  — the pages behind e-mail links and the demo outbox (templates/links, its layout.hbs);
 * - `verify` — the public verification of issued documents (templates/verify, its layout.hbs).
 *
 * Templates only ever receive view models; everything is HTML-escaped unless a template uses
 * triple braces on a value a presenter built (charts, the statechart).
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Handlebars from "handlebars";
import { registerViewHelpers } from "./viewHelpers.js";

/** The template sets that share the engine. */
export type ViewSet = "pages" | "links" | "verify";

const TEMPLATES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "templates");
const LAYOUTS: Record<ViewSet, string> = {
  pages: "layouts/main.hbs",
  links: "links/layout.hbs",
  verify: "verify/layout.hbs",
};

type Compiled = { layouts: Map<ViewSet, HandlebarsTemplateDelegate>; views: Map<string, HandlebarsTemplateDelegate> };

const hbsFiles = (dir: string) => fs.readdirSync(path.join(TEMPLATES, dir)).filter((f) => f.endsWith(".hbs"));
const read = (dir: string, file: string) => fs.readFileSync(path.join(TEMPLATES, dir, file), "utf8");

function compileAll(): Compiled {
  const hb = Handlebars.create();
  registerViewHelpers(hb);
  for (const f of hbsFiles("partials")) hb.registerPartial(f.slice(0, -4), read("partials", f));
  const layouts = new Map<ViewSet, HandlebarsTemplateDelegate>();
  const views = new Map<string, HandlebarsTemplateDelegate>();
  for (const set of Object.keys(LAYOUTS) as ViewSet[]) {
    layouts.set(set, hb.compile(read(".", LAYOUTS[set])));
    for (const f of hbsFiles(set).filter((x) => x !== "layout.hbs"))
      views.set(`${set}/${f.slice(0, -4)}`, hb.compile(read(set, f)));
  }
  return { layouts, views };
}

let compiled: Compiled | null = null;

/**
 * Renders template `name` of `set` inside the set's layout; the layout sees the model and `body`.
 * @throws Error when the set has no such template.
 */
export function renderView(set: ViewSet, name: string, model: Record<string, unknown>): string {
  compiled ??= compileAll();
  const view = compiled.views.get(`${set}/${name}`);
  if (!view) throw new Error(`No template "${name}" in templates/${set}`);
  return compiled.layouts.get(set)!({ ...model, body: view(model) });
}
