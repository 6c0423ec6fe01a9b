/**
 * Browsers left behind by a crashed TVPB. Every browser a process launches is written down as
 * `<dir>/<ownerPid>-<browserPid>.json` with both processes' start times; at start-up a process
 * kills the browsers (their whole process group) whose owner is gone, and only those: a live
 * owner's browsers, and a pid that now belongs to another program, are left alone. Linux (/proc).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

type Entry = { owner: number; ownerStart: string | null; pid: number; start: string | null; executable: string };

/** Writes down and forgets this process's browsers, and reaps those of dead processes. */
export interface BrowserRegistry {
  /** Records a browser this process just launched. */
  record(pid: number, executable: string): void;
  /** Forgets a browser that exited or was closed. */
  forget(pid: number): void;
  /** Kills browsers whose owner is gone; returns their pids. Never throws. */
  reap(): number[];
}

/** The start time of a process (field 22 of /proc/<pid>/stat), or null when it is not running. */
export function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0] ?? "";
  } catch {
    return "";
  }
}

/** Kills a process group (and the process itself, if it left the group). */
export function killGroup(pid: number): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
}

/**
 * The registry in `dir` (created when needed).
 * @param log warned about each browser reaped.
 */
export function createBrowserRegistry(dir: string, log?: { warn(obj: object, msg?: string): void }): BrowserRegistry {
  const me = process.pid;
  const fileOf = (owner: number, pid: number) => path.join(dir, `${owner}-${pid}.json`);

  function record(pid: number, executable: string): void {
    try {
      mkdirSync(dir, { recursive: true });
      const entry: Entry = { owner: me, ownerStart: processStart(me), pid, start: processStart(pid), executable };
      writeFileSync(fileOf(me, pid), JSON.stringify(entry));
    } catch {
      // Best effort: a read-only data directory must not stop rendering.
    }
  }

  function forget(pid: number): void {
    rmSync(fileOf(me, pid), { force: true });
  }

  function reapOne(file: string): number | null {
    let entry: Entry;
    try {
      entry = JSON.parse(readFileSync(file, "utf8")) as Entry;
    } catch {
      rmSync(file, { force: true });
      return null;
    }
    if (entry.owner === me) return null;
    const ownerAlive = entry.ownerStart !== null && processStart(entry.owner) === entry.ownerStart;
    if (ownerAlive) return null;
    const stillOurs =
      entry.start !== null &&
      processStart(entry.pid) === entry.start &&
      // Belt and braces after the start time: it is still a Chromium/Chrome (wrappers exec the real one).
      /chrom|headless/i.test(path.basename(commandOf(entry.pid)));
    if (stillOurs) killGroup(entry.pid);
    rmSync(file, { force: true });
    return stillOurs ? entry.pid : null;
  }

  function reap(): number[] {
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => /^\d+-\d+\.json$/.test(n));
    } catch {
      return [];
    }
    const reaped = names.map((n) => reapOne(path.join(dir, n))).filter((p): p is number => p !== null);
    if (reaped.length)
      log?.warn({ event: "pdf.browser.reaped", pids: reaped }, "killed browsers left by a process that is gone");
    return reaped;
  }

  return { record, forget, reap };
}
