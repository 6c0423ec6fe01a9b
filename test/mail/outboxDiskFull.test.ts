/**
 * A files-mode outbox on a disk that fills up: the write fails with a retryable error and leaves no
 * temporary file behind (the child process runs under `ulimit -f`, so the file system refuses the
 * write part-way, as a full disk does).
 */
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..", "..");

describe("the outbox on a full disk", () => {
  it("fails the write as retryable and removes its temporary file", function () {
    this.timeout(120_000);
    const outboxDir = fs.mkdtempSync(path.join(os.tmpdir(), "tvpb-full-"));
    try {
      // 64 blocks of 1 KiB: the 256 KiB attachment does not fit.
      const out = execFileSync(
        "bash",
        [
          "-c",
          `ulimit -f 64; exec "${process.execPath}" --import tsx "${path.join(here, "fixtures", "writeOutbox.ts")}"`,
        ],
        { cwd: root, env: { ...process.env, OUTBOX_DIR: outboxDir }, encoding: "utf8" },
      );
      const result = JSON.parse(out.trim().split("\n").at(-1)!) as { code: string; files: string[] };
      expect(result.code).to.equal("mail_unavailable");
      expect(result.files, "nothing left in the outbox").to.deep.equal([]);
    } finally {
      fs.rmSync(outboxDir, { recursive: true, force: true });
    }
  });
});
