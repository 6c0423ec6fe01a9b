/**
 * `npm start`'s kept bundle (scripts/start.mjs): bundled once, run again without bundling while its
 * inputs are unchanged, bundled again when one changes. Each start exits at once on a bad PORT
 * (configuration error, 78), after the bundle is made or reused and loaded.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";

const root = process.cwd();
const bundle = path.join(root, ".build", "server.mjs");
const stamp = path.join(root, ".build", "server.inputs.json");

/** Runs `node scripts/start.mjs` with a PORT the configuration refuses; resolves with its exit code. */
function startWithBadPort(): Promise<number> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ["scripts/start.mjs"], {
      cwd: root,
      env: { ...process.env, PORT: "not-a-port", DATABASE_URL: "" },
    });
    child.on("exit", (code) => resolve(code ?? -1));
  });
}

describe("npm start keeps its bundle", function () {
  this.timeout(240_000);

  it("bundles once, runs the kept bundle while nothing changed, and bundles again after a change", async () => {
    fs.rmSync(stamp, { force: true }); // no stamp: the next start must bundle
    expect(await startWithBadPort()).to.equal(78);
    const first = fs.statSync(bundle).mtimeMs;
    const kept = JSON.parse(fs.readFileSync(stamp, "utf8")) as { inputs: Record<string, unknown> };
    expect(Object.keys(kept.inputs)).to.include("server/main.ts");

    expect(await startWithBadPort()).to.equal(78);
    expect(fs.statSync(bundle).mtimeMs).to.equal(first); // reused, not written again

    // A source file's modification time moves (its text is the same): the stamp no longer matches.
    const source = path.join(root, "server", "text.ts");
    const earlier = new Date(Date.now() - 60_000);
    fs.utimesSync(source, earlier, earlier);
    expect(await startWithBadPort()).to.equal(78);
    expect(fs.statSync(bundle).mtimeMs).to.not.equal(first);
  });
});
