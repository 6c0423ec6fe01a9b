import { expect } from "chai";
import { ConfigError, defaultPoolMax, loadConfig } from "../../server/config.js";

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error("loadConfig accepted the configuration");
}

const names = (problems: string[]) => problems.map((p) => p.split(":")[0]);

describe("loadConfig", () => {
  it(
    "refuses to start in production without SESSION_SECRET, PUBLIC_URL and DATABASE_URL and lists all three at " +
      "once",
    () => {
      const problems = problemsOf({ NODE_ENV: "production" });
      expect(names(problems)).to.include.members(["SESSION_SECRET", "PUBLIC_URL", "DATABASE_URL"]);
    },
  );

  it("never seeds demo data in production", () => {
    const env = {
      NODE_ENV: "production",
      SESSION_SECRET: "s".repeat(40),
      PUBLIC_URL: "https://tvpb.example.vn",
      DATABASE_URL: "postgres://tvpb@db/tvpb",
    };
    expect(loadConfig(env).seedDemo).to.equal(false);
    expect(names(problemsOf({ ...env, SEED_DEMO: "true" }))).to.deep.equal(["SEED_DEMO"]);
  });

  it("accepts a complete production configuration", () => {
    const c = loadConfig({
      NODE_ENV: "production",
      SESSION_SECRET: "s".repeat(40),
      PUBLIC_URL: "https://tvpb.example.vn/",
      DATABASE_URL: "postgresql://tvpb@db/tvpb",
      PORT: "8080",
    });
    expect(c).to.include({
      env: "production",
      port: 8080,
      publicUrl: "https://tvpb.example.vn",
      databaseUrl: "postgresql://tvpb@db/tvpb",
    });
  });

  it("names a bad PORT and a bad DATABASE_URL in readable problems, together", () => {
    const problems = problemsOf({ PORT: "eighty", DATABASE_URL: "mysql://root@localhost/tvpb" });
    expect(names(problems)).to.have.members(["PORT", "DATABASE_URL"]);
    expect(names(problemsOf({ PORT: "70000" }))).to.deep.equal(["PORT"]);
    expect(names(problemsOf({ PORT: "-1" }))).to.deep.equal(["PORT"]);
    for (const p of problems) expect(p).to.match(/^[A-Z_]+: \S/);
  });

  it("lists shape problems and production requirements in one go", () => {
    const problems = problemsOf({ NODE_ENV: "production", PORT: "eighty", SESSION_SECRET: "short" });
    expect(names(problems)).to.include.members(["PORT", "SESSION_SECRET", "PUBLIC_URL", "DATABASE_URL"]);
  });

  it("seeds the demo in development by default and not in tests unless asked", () => {
    expect(loadConfig({}).seedDemo).to.equal(true);
    expect(loadConfig({ NODE_ENV: "test" }).seedDemo).to.equal(false);
    expect(loadConfig({ NODE_ENV: "test", SEED_DEMO: "true" }).seedDemo).to.equal(true);
    expect(loadConfig({ NODE_ENV: "development", SEED_DEMO: "false" }).seedDemo).to.equal(false);
  });

  it("sizes the PostgreSQL pool by the CPU cores unless DATABASE_POOL_MAX says", () => {
    expect([1, 2, 3, 8].map((cores) => defaultPoolMax(cores))).to.deep.equal([4, 4, 6, 16]);
    expect(loadConfig({ NODE_ENV: "test" }).databasePoolMax).to.equal(defaultPoolMax());
    expect(loadConfig({ NODE_ENV: "test", DATABASE_POOL_MAX: "30" }).databasePoolMax).to.equal(30);
  });
});
