/**
 * The embedded database's buffer cache: 32MB unless PGLITE_SHARED_BUFFERS says (its whole segment is
 * zeroed at every open inside WebAssembly; server/db/connect.ts). It opens an embedded PGlite of its
 * own whatever DATABASE_URL says, so it is picked for both suites (test/support/databaseTests.ts) and
 * checks the same thing in each, without touching the PostgreSQL under test.
 */
import { expect } from "chai";
import { loadConfig } from "../../server/config.js";
import { openDatabase, PGLITE_SHARED_BUFFERS_DEFAULT } from "../../server/db/connect.js";

async function sharedBuffersOf(opts: { pgliteSharedBuffers?: string }): Promise<string> {
  const database = await openDatabase({ memory: true, migrate: false, ...opts });
  try {
    const [row] = await database.query("show shared_buffers");
    return String(row!.shared_buffers);
  } finally {
    await database.close();
  }
}

describe("the embedded database's buffer cache", () => {
  it("is 32MB by default and what PGLITE_SHARED_BUFFERS sets otherwise", async () => {
    expect(PGLITE_SHARED_BUFFERS_DEFAULT).to.equal("32MB");
    expect(await sharedBuffersOf({})).to.equal("32MB");
    const config = loadConfig({ NODE_ENV: "test", PGLITE_SHARED_BUFFERS: "48MB" });
    expect(config.pgliteSharedBuffers).to.equal("48MB");
    expect(await sharedBuffersOf({ pgliteSharedBuffers: config.pgliteSharedBuffers })).to.equal("48MB");
  });

  it("refuses a size that is not a whole number of MB or GB, naming the setting", () => {
    for (const bad of ["lots", "0MB", "32", "32mb", "32MB; drop table x", "-1GB"]) {
      expect(() => loadConfig({ NODE_ENV: "test", PGLITE_SHARED_BUFFERS: bad }), bad).to.throw(/PGLITE_SHARED_BUFFERS/);
    }
    expect(loadConfig({ NODE_ENV: "test" }).pgliteSharedBuffers).to.equal(undefined);
  });
});
