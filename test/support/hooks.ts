/**
 * Root hooks: one database per test run (PGlite in memory, or the PostgreSQL in DATABASE_URL,
 * wiped and migrated once). Tests make their own organisation, so they never see each other's data.
 */
import { closeTestDatabase } from "./db.js";

export const mochaHooks = {
  async afterAll() {
    await closeTestDatabase();
  },
};
