/**
 * The document template sets in use: the built-in one, and one per organisation that has its own.
 * An organisation's own kind templates live in the database (`document_templates`, append-only,
 * one version per save), so every process sees a save at once: before each use the store reads the
 * organisation's current version (one indexed query) and recompiles only when it moved. Files in
 * `<overrideDir>/<orgSlug>/documents/` (partials, document.css, kinds saved before the database held
 * them) still apply under the database's kinds. Saving checks that the whole set still compiles.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Handlebars from "handlebars";
import { and, desc, eq, sql } from "drizzle-orm";
import type { Db, Executor } from "../db/connect.js";
import { documentTemplates } from "../db/schema.js";
import { ConflictError, ValidationError } from "../errors.js";
import { createDocumentTemplates, DOCUMENT_KIND_INFO, type DocumentTemplates } from "./templates.js";
import type { DocumentKind } from "./types.js";
import { isDocumentKind } from "./viewModels.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The built-in templates. */
export const DOCUMENT_TEMPLATES_DIR = path.join(root, "templates", "documents");

/** The organisation a set belongs to. */
export type TemplateOrg = { id: string; slug: string };

/** A compiled set and its version (0: nothing of the organisation's own in the database). */
export type VersionedTemplates = { templates: DocumentTemplates; version: number };

/** The template sets of every organisation. */
export interface TemplateStore {
  /**
   * The set an organisation renders with now, and its version; each template is compiled on its
   * first render (which throws Error if it does not compile; a save checks the whole set first).
   */
  templatesFor(org: TemplateOrg): Promise<VersionedTemplates>;
  /** Each kind's built-in source and the organisation's own, if any. */
  templateSources(org: TemplateOrg): Promise<Array<{ kind: DocumentKind; builtIn: string; override: string | null }>>;
  /**
   * Saves an organisation's own template for a kind (`null`: back to the built-in one) as its next version.
   * @throws ValidationError unknown_document_kind, template_invalid; ConflictError stale_version (a save raced it)
   */
  saveTemplate(org: TemplateOrg, kind: string, source: string | null, authorId?: string | null): Promise<number>;
}

/** `templates`: the built-in set (compiled lazily when absent); `overrideDir`: organisations' files. */
export function createTemplateStore(deps: { db: Db; templates?: DocumentTemplates; overrideDir?: string }) {
  let builtIn = deps.templates;
  const compiled = new Map<string, VersionedTemplates>();
  const orgDir = (slug: string) =>
    deps.overrideDir && /^[a-z0-9-]+$/.test(slug) ? path.join(deps.overrideDir, slug, "documents") : undefined;

  /** The set to render with (`lazy`: each template compiled on first use) or, for a save, checked whole. */
  function compile(slug: string, overrides: ReadonlyMap<string, string>, lazy = true): DocumentTemplates {
    const dir = orgDir(slug);
    const hasDir = !!dir && existsSync(dir);
    if (!hasDir && !overrides.size && lazy)
      return (builtIn ??= createDocumentTemplates({ dir: DOCUMENT_TEMPLATES_DIR, lazy }));
    return createDocumentTemplates({
      dir: DOCUMENT_TEMPLATES_DIR,
      overrideDir: hasDir ? dir : undefined,
      overrides,
      lazy,
    });
  }

  async function templatesFor(org: TemplateOrg): Promise<VersionedTemplates> {
    const version = await currentVersion(deps.db, org.id);
    const cached = compiled.get(org.id);
    if (cached && cached.version === version) return cached;
    const set = { templates: compile(org.slug, await ownSources(deps.db, org.id)), version };
    compiled.set(org.id, set);
    return set;
  }

  async function templateSources(org: TemplateOrg) {
    const own = await ownSources(deps.db, org.id);
    const dir = orgDir(org.slug);
    return (Object.keys(DOCUMENT_KIND_INFO) as DocumentKind[]).map((kind) => {
      const file = dir ? path.join(dir, `${kind}.hbs`) : null;
      return {
        kind,
        builtIn: readFileSync(path.join(DOCUMENT_TEMPLATES_DIR, `${kind}.hbs`), "utf8"),
        override: own.get(kind) ?? (file && existsSync(file) ? readFileSync(file, "utf8") : null),
      };
    });
  }

  async function saveTemplate(org: TemplateOrg, kind: string, source: string | null, authorId?: string | null) {
    if (!isDocumentKind(kind))
      throw new ValidationError("unknown_document_kind", `Không có loại văn bản “${kind}”.`, "kind");
    if (source !== null) {
      const own = await ownSources(deps.db, org.id);
      checkTemplate(source, () => compile(org.slug, new Map([...own, [kind, source]]), false));
    }
    const version = (await currentVersion(deps.db, org.id)) + 1;
    const [row] = await deps.db
      .insert(documentTemplates)
      .values({ organizationId: org.id, kind, version, source, authorId: authorId ?? null })
      .onConflictDoNothing()
      .returning({ version: documentTemplates.version });
    if (!row) throw new ConflictError("stale_version", "Mẫu văn bản vừa được lưu ở nơi khác; hãy tải lại trang.");
    return version;
  }

  return { templatesFor, templateSources, saveTemplate } satisfies TemplateStore;
}

/** The organisation's template-set version: the highest saved (0: none). */
async function currentVersion(db: Executor, organizationId: string): Promise<number> {
  const [row] = await db
    .select({ v: sql<number>`coalesce(max(${documentTemplates.version}), 0)` })
    .from(documentTemplates)
    .where(eq(documentTemplates.organizationId, organizationId));
  return Number(row?.v ?? 0);
}

/** The organisation's own template of each kind: its latest save, unless that went back to the built-in one. */
async function ownSources(db: Executor, organizationId: string): Promise<Map<string, string>> {
  const rows = await db
    .select({ kind: documentTemplates.kind, source: documentTemplates.source })
    .from(documentTemplates)
    .where(and(eq(documentTemplates.organizationId, organizationId)))
    .orderBy(desc(documentTemplates.version));
  const latest = new Map<string, string | null>();
  for (const r of rows) if (!latest.has(r.kind)) latest.set(r.kind, r.source);
  return new Map([...latest].filter((e): e is [string, string] => e[1] !== null));
}

/**
 * Checks a template's syntax, then that the whole set compiles with it.
 * @throws ValidationError template_invalid
 */
function checkTemplate(source: string, compileSet: () => unknown): void {
  if (source.length > 200_000) throw new ValidationError("template_invalid", "Mẫu quá dài.", "source");
  const firstLine = (err: unknown) => (err instanceof Error ? err.message.split("\n")[0] : String(err));
  try {
    Handlebars.precompile(source);
  } catch (err) {
    throw new ValidationError("template_invalid", `Mẫu có lỗi cú pháp: ${firstLine(err)}`, "source");
  }
  try {
    // The whole set, partials included, must still compile with the new template.
    compileSet();
  } catch (err) {
    throw new ValidationError("template_invalid", `Mẫu không dùng được: ${firstLine(err)}`, "source");
  }
}
