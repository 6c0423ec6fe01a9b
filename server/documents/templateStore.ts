/**
 * The document template sets in use: the built-in one, and one per organisation that has its own
 * templates in `<overrideDir>/<orgSlug>/documents/`. Saving an organisation's template checks that
 * the whole set still compiles before the next render uses it.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Handlebars from "handlebars";
import { ValidationError } from "../errors.js";
import { createDocumentTemplates, DOCUMENT_KIND_INFO, type DocumentTemplates } from "./templates.js";
import type { DocumentKind } from "./types.js";
import { isDocumentKind } from "./viewModels.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The built-in templates. */
export const DOCUMENT_TEMPLATES_DIR = path.join(root, "templates", "documents");

/** The template sets of every organisation. */
export interface TemplateStore {
  /** The set an organisation renders with (its own when it has any, else the built-in one). @throws Error */
  templatesFor(slug: string): DocumentTemplates;
  /** Each kind's built-in source and the organisation's override, if any. */
  templateSources(slug: string): Array<{ kind: DocumentKind; builtIn: string; override: string | null }>;
  /**
   * Saves an organisation's own template for a kind (`null`: back to the built-in one).
   * @throws ValidationError unknown_document_kind, template_invalid, templates_not_configurable, invalid_organization
   */
  saveTemplate(slug: string, kind: string, source: string | null): void;
}

/** `templates`: the built-in set (compiled lazily when absent); `overrideDir`: where organisations keep theirs. */
export function createTemplateStore(deps: { templates?: DocumentTemplates; overrideDir?: string }): TemplateStore {
  let builtIn = deps.templates;
  const perOrg = new Map<string, DocumentTemplates>();
  const orgDir = (slug: string) => (deps.overrideDir ? path.join(deps.overrideDir, slug, "documents") : undefined);

  function templatesFor(slug: string): DocumentTemplates {
    const dir = orgDir(slug);
    if (dir && existsSync(dir)) {
      let t = perOrg.get(slug);
      if (!t) perOrg.set(slug, (t = createDocumentTemplates({ dir: DOCUMENT_TEMPLATES_DIR, overrideDir: dir })));
      return t;
    }
    builtIn ??= createDocumentTemplates({ dir: DOCUMENT_TEMPLATES_DIR });
    return builtIn;
  }

  function templateSources(slug: string) {
    const dir = orgDir(slug);
    return (Object.keys(DOCUMENT_KIND_INFO) as DocumentKind[]).map((kind) => {
      const file = dir ? path.join(dir, `${kind}.hbs`) : null;
      return {
        kind,
        builtIn: readFileSync(path.join(DOCUMENT_TEMPLATES_DIR, `${kind}.hbs`), "utf8"),
        override: file && existsSync(file) ? readFileSync(file, "utf8") : null,
      };
    });
  }

  function saveTemplate(slug: string, kind: string, source: string | null) {
    if (!isDocumentKind(kind))
      throw new ValidationError("unknown_document_kind", `Không có loại văn bản “${kind}”.`, "kind");
    const file = path.join(writableDir(deps.overrideDir, slug), `${kind}.hbs`);
    if (source === null) rmSync(file, { force: true });
    else
      writeChecked(
        file,
        source,
        () => templatesFor(slug),
        () => perOrg.delete(slug),
      );
    perOrg.delete(slug);
  }

  return { templatesFor, templateSources, saveTemplate };
}

/** The organisation's override folder. @throws ValidationError templates_not_configurable, invalid_organization */
function writableDir(overrideDir: string | undefined, slug: string): string {
  if (!overrideDir)
    throw new ValidationError("templates_not_configurable", "Không cấu hình được mẫu văn bản riêng trên máy chủ này.");
  if (!/^[a-z0-9-]+$/.test(slug)) throw new ValidationError("invalid_organization", "Mã tổ chức không hợp lệ.");
  return path.join(overrideDir, slug, "documents");
}

/**
 * Writes a template after checking its syntax, then compiles the whole set with it; if the set no
 * longer compiles the previous file comes back.
 * @throws ValidationError template_invalid
 */
function writeChecked(file: string, source: string, compileSet: () => unknown, forgetSet: () => void): void {
  if (source.length > 200_000) throw new ValidationError("template_invalid", "Mẫu quá dài.", "source");
  const firstLine = (err: unknown) => (err instanceof Error ? err.message.split("\n")[0] : String(err));
  try {
    Handlebars.precompile(source);
  } catch (err) {
    throw new ValidationError("template_invalid", `Mẫu có lỗi cú pháp: ${firstLine(err)}`, "source");
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const previous = existsSync(file) ? readFileSync(file, "utf8") : null;
  writeFileSync(file, source);
  forgetSet();
  try {
    // The whole set, partials included, must still compile with the new template.
    compileSet();
  } catch (err) {
    if (previous === null) rmSync(file, { force: true });
    else writeFileSync(file, previous);
    forgetSet();
    throw new ValidationError("template_invalid", `Mẫu không dùng được: ${firstLine(err)}`, "source");
  }
}
