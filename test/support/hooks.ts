/**
 * Root hooks: one database per test run (PGlite in memory, or the PostgreSQL in DATABASE_URL,
 * wiped and migrated once). Tests make their own organisation, so they never see each other's data.
 * The domain's handlers are installed into the engine once, as startTvpb does at boot, so a test
 * that builds its own app (createApp) applies events as the real server does. The run's shared
 * PDF renderer (one Chromium, started by the first test that renders) is closed at the end.
 */
import { installDomainHandlers } from "../../server/server.js";
import { closeTestDatabase } from "./db.js";
import { closeSharedRenderer } from "./sharedRenderer.js";

export const mochaHooks = {
  beforeAll() {
    installDomainHandlers();
  },
  async afterAll() {
    await closeSharedRenderer();
    await closeTestDatabase();
  },
};
