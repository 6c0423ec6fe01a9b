/**
 * A process that owns a browser (for the reaper test): renders one page with a registry in the
 * folder given as the first argument, prints the browser's pid, then waits to be killed.
 */
import { createBrowserRegistry } from "../../server/adapters/browserReaper.js";
import { createPdfRenderer, findChromium } from "../../server/adapters/pdf.js";

const found = findChromium();
if (found.path === null) throw new Error(found.reason);
const renderer = createPdfRenderer({
  executablePath: found.path,
  poolSize: 1,
  registry: createBrowserRegistry(process.argv[2]),
});
await renderer.render("<!doctype html><html><body><p>x</p></body></html>");
process.stdout.write(`${renderer.browserPid()}\n`);
setInterval(() => undefined, 60_000);
