/**
 * Lower CPU priority for the PDF browser. Documents are rendered in the background (save, then
 * do), while pages and API answers are waited for by people; on a small machine Chromium competing
 * for the same cores makes every answer's tail long. Chromium is started as the leader of its own
 * process group, so every process of that group, and every thread of each (Linux nice values are
 * per thread), is given the nice value. Processes and threads started later inherit it from the
 * ones that start them (the zygote forks new renderers), and the renderer calls this again after
 * opening a page so a renderer started meanwhile is caught too. Best effort: Chromium gives some of
 * its pool threads a priority of its own (display -8, foreground 0; as root it may), which this
 * does not fight; the main threads (the browser's, each renderer's layout and painting) keep the
 * value. Linux only (/proc); elsewhere, and for any process it may not change, it does nothing. It
 * never raises priority (lowers nice).
 */
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";

/** The process group of a process (field 5 of /proc/<pid>/stat), or null when it is gone. */
function groupOf(pid: string): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const group = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
    return Number.isInteger(group) ? group : null;
  } catch {
    return null;
  }
}

function threadsOf(pid: string): string[] {
  try {
    return readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
}

/** Sets `nice` on one thread unless it already runs at that priority or lower; true when changed. */
function lower(tid: number, nice: number): boolean {
  try {
    if (os.getPriority(tid) >= nice) return false;
    os.setPriority(tid, nice);
    return true;
  } catch {
    return false; // Gone meanwhile, or not ours to change.
  }
}

/**
 * Gives every thread of every process in process group `group` the nice value `nice` (1–19). A
 * thread started during a pass by one not yet changed keeps the old value, so passes repeat until
 * one changes nothing (at most five).
 * @returns how many threads were changed (0 with nice 0, off Linux, or when all already were).
 */
export function lowerGroupPriority(group: number, nice: number): number {
  if (nice <= 0 || process.platform !== "linux") return 0;
  let changed = 0;
  for (let pass = 0; pass < 5; pass++) {
    const now = lowerOnce(group, nice);
    changed += now;
    if (now === 0) break;
  }
  return changed;
}

function lowerOnce(group: number, nice: number): number {
  let changed = 0;
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return 0;
  }
  for (const pid of pids) {
    if (groupOf(pid) !== group) continue;
    for (const tid of threadsOf(pid)) if (lower(Number(tid), nice)) changed++;
  }
  return changed;
}
