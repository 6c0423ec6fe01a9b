/**
 * A newcomer's terminal (issue 14 §8): in development the request log is one short line per request
 * — method, URL, status, duration — with no header (request or response) and no secret.
 */
import { expect } from "chai";
import request from "supertest";
import { createApp } from "../../server/app.js";
import { createLogger, readableLine, readableLogStream } from "../../server/logger.js";
import { createWorld } from "../support/testApp.js";

describe("readable development logs", () => {
  it("writes one short line per request, without headers or secrets", async () => {
    const w = await createWorld();
    let text = "";
    const logger = createLogger({
      level: "info",
      destination: readableLogStream({ write: (s: string) => (text += s) }),
    });
    const app = createApp({ db: w.db, database: w.database, clock: w.clock, logger, publicUrl: "http://tvpb.test" });
    const token = w.tokens[w.userFor("secretariat").id];
    await request(app).get("/api/v1/assignments").set("Authorization", `Bearer ${token}`).expect(200);
    await request(app).get("/login?token=abc123secret").set("Cookie", "tvpb_session=s3cr3t-session").expect(200);
    const lines = text.trim().split("\n");
    expect(lines).to.have.length(2);
    expect(lines[0]).to.match(/^\d\d:\d\d:\d\d GET \/api\/v1\/assignments → 200 \d+ ms$/);
    expect(lines[1]).to.match(/^\d\d:\d\d:\d\d GET \/login\?token=\[redacted\] → 200 \d+ ms$/);
    for (const secret of [token, "abc123secret", "s3cr3t-session", "content-type", "set-cookie", "{"])
      expect(text).not.to.contain(secret);
  });

  it("keeps other lines short: level, message, a few fields; non-JSON as it is", () => {
    const line = readableLine(
      JSON.stringify({
        level: 40,
        time: Date.UTC(2026, 0, 1),
        service: "tvpb",
        pid: 1,
        msg: "mail failed",
        attempt: 2,
      }),
    );
    expect(line).to.match(/^\d\d:\d\d:\d\d WARN  mail failed {2}attempt=2$/);
    expect(readableLine("plain text\n")).to.equal("plain text");
  });
});
