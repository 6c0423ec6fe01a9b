// The worker thread's entry for bench/support/httpLoad.ts: a worker does not inherit the parent's
// TypeScript loader (tsx), so it registers it before importing the TypeScript module.
import { register } from "tsx/esm/api";

register();
await import("./httpLoad.ts");
