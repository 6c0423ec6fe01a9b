/**
 * Every route mounted under /api/v1 is in the OpenAPI document (and nothing documented is missing
 * from the app): the router's own table is walked, so a new route without its documentation fails.
 */
import { expect } from "chai";
import type { Express } from "express";
import { buildOpenApi } from "../../server/http/openapi.js";
import { createWorld } from "../support/testApp.js";

type Layer = { rawPath?: unknown; route?: { path: string; methods: Record<string, boolean> }; handle?: unknown };
const METHODS = ["get", "put", "post", "delete", "patch"];

/** "METHOD /path" of every route in a router's stack, under `prefix`, nested routers included. */
function routesOf(stack: Layer[], prefix = ""): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      const p = `${prefix}${layer.route.path}`.replace(/:(\w+)/g, "{$1}");
      return Object.keys(layer.route.methods)
        .filter((m) => METHODS.includes(m))
        .map((m) => `${m.toUpperCase()} ${p}`);
    }
    const inner = (layer.handle as { stack?: Layer[] } | undefined)?.stack;
    if (!inner) return [];
    const at = typeof layer.rawPath === "string" && layer.rawPath !== "/" ? layer.rawPath : "";
    return routesOf(inner, prefix + at);
  });
}

describe("the OpenAPI document covers the API", () => {
  it("documents every route mounted under /api/v1, and documents no route that is not there", async () => {
    const w = await createWorld();
    const app = w.app as Express & { router: { stack: Layer[] } };
    const mounted = routesOf(app.router.stack)
      .filter((r) => r.split(" ")[1].startsWith("/api/v1/"))
      .map((r) => r.replace(" /api/v1", " "))
      .filter((r) => r !== "GET /openapi.json");
    expect(mounted.length, "the walk finds the API's routes").to.be.at.least(60);
    const doc = buildOpenApi("http://tvpb.test") as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths).flatMap(([p, item]) =>
      Object.keys(item)
        .filter((m) => METHODS.includes(m))
        .map((m) => `${m.toUpperCase()} ${p}`),
    );
    expect(
      [...new Set(mounted)].filter((r) => !documented.includes(r)).sort(),
      "mounted, not documented",
    ).to.deep.equal([]);
    expect(documented.filter((r) => !mounted.includes(r)).sort(), "documented, not mounted").to.deep.equal([]);
  });
});
