/**
 * `local/allowed-imports`: an allow-list of what the files of one room may import. ESLint's own
 * `no-restricted-imports` is a deny-list, which lets the next surprise through; this rule resolves
 * each import to a path of the repository (or a package name) and accepts it only when an entry
 * of the list allows it.
 *
 * Options (one object):
 * - `room`: the room's name, for the message ("server/http").
 * - `paths`: repository paths, relative to the working directory ESLint runs in. An entry ending
 *   in "/" allows every file under that folder ("server/commands/"); any other entry allows one
 *   module, written without its extension ("server/errors").
 * - `packages`: package names ("express", "@scope/name"); "node:*" allows every Node built-in.
 * - `typeOnly`: when true, `import type …` (and imports whose every name is a type) may reach
 *   anything: types carry no code and no I/O at run time.
 * - `hint`: one sentence appended to the message (what to import instead).
 *
 * Checked: static imports, re-exports (`export … from`), and dynamic `import("…")`; a dynamic
 * import of a computed specifier is refused, since it cannot be checked.
 */
import { builtinModules } from "node:module";
import path from "node:path";

const BUILTINS = new Set(builtinModules);

/** "express/lib/x" → "express"; "@a/b/c" → "@a/b"; "fs" and "node:fs/promises" → "node:fs". */
function packageOf(specifier) {
  if (specifier.startsWith("node:")) return `node:${specifier.slice(5).split("/")[0]}`;
  const parts = specifier.split("/");
  const name = specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
  return BUILTINS.has(name) ? `node:${name}` : name;
}

/** The import's target as a repository path without extension, or null when it leaves the repository. */
function repoPathOf(specifier, filename, root) {
  const absolute = path.resolve(path.dirname(filename), specifier);
  const relative = path.relative(root, absolute).split(path.sep).join("/");
  if (relative.startsWith("..") || path.isAbsolute(relative)) return null;
  return relative.replace(/\.(js|ts|mjs|mts|cjs|cts|json)$/, "");
}

function allowedPath(target, paths) {
  return paths.some((entry) => (entry.endsWith("/") ? target.startsWith(entry) : target === entry));
}

function allowedPackage(name, packages) {
  return packages.some((entry) => entry === name || (entry === "node:*" && name.startsWith("node:")));
}

/** Whether an import or re-export declaration carries types only. */
function isTypeOnly(node) {
  if (node.importKind === "type" || node.exportKind === "type") return true;
  const specifiers = node.specifiers ?? [];
  return specifiers.length > 0 && specifiers.every((s) => s.importKind === "type" || s.exportKind === "type");
}

export default {
  meta: {
    type: "problem",
    docs: { description: "Allow a room to import only the listed repository paths and packages." },
    schema: [
      {
        type: "object",
        properties: {
          room: { type: "string" },
          paths: { type: "array", items: { type: "string" } },
          packages: { type: "array", items: { type: "string" } },
          typeOnly: { type: "boolean" },
          hint: { type: "string" },
        },
        required: ["room", "paths", "packages"],
        additionalProperties: false,
      },
    ],
    messages: {
      notAllowed: "{{room}} may not import “{{source}}” ({{target}}). {{hint}}",
      computed: "{{room}} may not import a computed module name: it cannot be checked against the allow-list.",
    },
  },

  create(context) {
    const { room, paths, packages, typeOnly = false, hint = "" } = context.options[0];
    const root = context.cwd;
    const filename = context.filename;

    function check(node, source, types) {
      if (types && typeOnly) return;
      const relative = source.startsWith(".") || source.startsWith("/");
      const target = relative ? repoPathOf(source, filename, root) : packageOf(source);
      const ok = relative ? target !== null && allowedPath(target, paths) : allowedPackage(target, packages);
      if (!ok) {
        context.report({
          node,
          messageId: "notAllowed",
          data: { room, source, target: target ?? "outside the repository", hint },
        });
      }
    }

    const declaration = (node) => {
      if (node.source && typeof node.source.value === "string") check(node.source, node.source.value, isTypeOnly(node));
    };

    return {
      ImportDeclaration: declaration,
      ExportNamedDeclaration: declaration,
      ExportAllDeclaration: declaration,
      ImportExpression(node) {
        const s = node.source;
        if (s.type === "Literal" && typeof s.value === "string") return check(s, s.value, false);
        if (s.type === "TemplateLiteral" && s.expressions.length === 0)
          return check(s, s.quasis[0].value.cooked, false);
        context.report({ node: s, messageId: "computed", data: { room } });
      },
    };
  },
};
