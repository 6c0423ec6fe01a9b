/**
 * npm run setup: creates a Union (full name, short name for the registers, place name for the date
 * line, province) and its first administrator, and optionally the installation's operator, on the
 * embedded database or on DATABASE_URL, in development or production. Asks for what is missing
 * (interactive), or takes everything from flags or TVPB_SETUP_* variables (--non-interactive, or
 * when stdin is not a terminal). Refuses a weak password; prints the sign-in address.
 *
 *   npm run setup -- --non-interactive --name "Liên hiệp các Hội KH&KT tỉnh Tuyên Quang" --short-name LHH \
 *     --place "Tuyên Quang" --province "Tuyên Quang" --admin-email quantri@lhh.vn --admin-name "Nguyễn Văn A" \
 *     --admin-password '…'
 */
import { parseArgs } from "node:util";
import { createInterface } from "node:readline/promises";
import { ConfigError, loadConfig } from "../server/config.js";
import { openDatabase } from "../server/db/connect.js";
import { systemClock } from "../server/runtime/clock.js";
import { setUpInstallation } from "../server/commands/setUpInstallation.js";
import { passwordWeakness } from "../server/auth/passwordPolicy.js";
import { AppError } from "../server/errors.js";

/** Each answer: its flag, its environment variable, the question, and whether it is secret or optional. */
const FIELDS = [
  ["name", "TVPB_SETUP_NAME", "Tên đầy đủ của Liên hiệp hội"],
  ["short-name", "TVPB_SETUP_SHORT_NAME", "Tên viết tắt dùng trong số văn bản (vd. LHH)"],
  ["place", "TVPB_SETUP_PLACE", "Địa danh ghi ở dòng ngày tháng (vd. Tuyên Quang)"],
  ["province", "TVPB_SETUP_PROVINCE", "Tỉnh, thành phố"],
  ["slug", "TVPB_SETUP_SLUG", "Mã Liên hiệp hội trong địa chỉ (Enter: tạo từ tên tỉnh)", "optional"],
  ["admin-email", "TVPB_SETUP_ADMIN_EMAIL", "Thư điện tử của quản trị viên"],
  ["admin-name", "TVPB_SETUP_ADMIN_NAME", "Họ tên quản trị viên"],
  ["admin-password", "TVPB_SETUP_ADMIN_PASSWORD", "Mật khẩu quản trị viên (ít nhất 12 ký tự)", "secret"],
  ["operator-email", "TVPB_SETUP_OPERATOR_EMAIL", "Thư điện tử người vận hành hệ thống (Enter: bỏ qua)", "optional"],
  ["operator-name", "TVPB_SETUP_OPERATOR_NAME", "Họ tên người vận hành", "operator"],
  ["operator-password", "TVPB_SETUP_OPERATOR_PASSWORD", "Mật khẩu người vận hành", "secret-operator"],
] as const;

type Answers = Record<(typeof FIELDS)[number][0], string | undefined>;

const { values } = parseArgs({
  options: {
    ...Object.fromEntries(FIELDS.map(([flag]) => [flag, { type: "string" as const }])),
    "non-interactive": { type: "boolean" },
    "add-union": { type: "boolean" },
  },
  strict: true,
});
const flags = values as Record<string, string | boolean | undefined>;
const interactive = !flags["non-interactive"] && process.stdin.isTTY === true;

async function ask(): Promise<Answers> {
  const answers = Object.fromEntries(
    FIELDS.map(([flag, env]) => [flag, (flags[flag] as string | undefined) ?? process.env[env]]),
  ) as Answers;
  if (!interactive) return answers;
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  let muted = false;
  const out = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WriteStream };
  out._writeToOutput = (s: string) => void out.output.write(muted && !s.includes(":") ? "" : s);
  for (const [flag, , question, kind] of FIELDS) {
    if (answers[flag] !== undefined) continue;
    if ((kind === "operator" || kind === "secret-operator") && !answers["operator-email"]) continue;
    for (;;) {
      muted = kind === "secret" || kind === "secret-operator";
      const a = (await rl.question(`${question}: `)).trim();
      if (muted) process.stdout.write("\n");
      muted = false;
      const email = (kind === "secret-operator" ? answers["operator-email"] : answers["admin-email"]) ?? "";
      const weak = kind?.startsWith("secret") ? passwordWeakness(a, email) : null;
      if (weak) console.log(`  ${weak}`);
      else if (a || kind === "optional") {
        answers[flag] = a || undefined;
        break;
      }
    }
  }
  rl.close();
  return answers;
}

function missing(a: Answers): string[] {
  const required = FIELDS.filter(([, , , kind]) => kind === undefined || kind === "secret");
  const operator = a["operator-email"] ? FIELDS.filter(([f]) => f.startsWith("operator-")) : [];
  return [...required, ...operator].filter(([flag]) => !a[flag]).map(([flag, env]) => `--${flag} (${env})`);
}

async function main() {
  const config = loadConfig();
  const a = await ask();
  const lacking = missing(a);
  if (lacking.length) {
    console.error(`Thiếu thông tin thiết lập:\n${lacking.map((l) => `  - ${l}`).join("\n")}`);
    process.exit(2);
  }
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const done = await setUpInstallation(
      { db: database.db, clock: systemClock },
      {
        input: { name: a.name!, shortName: a["short-name"]!, place: a.place!, province: a.province!, slug: a.slug },
        admin: { email: a["admin-email"]!, fullName: a["admin-name"]!, password: a["admin-password"]! },
        operator: a["operator-email"]
          ? { email: a["operator-email"], fullName: a["operator-name"]!, password: a["operator-password"]! }
          : undefined,
        allowExisting: flags["add-union"] === true,
      },
    );
    console.log(`Đã tạo ${done.organization.name} (mã "${done.organization.slug}", ${database.kind}).`);
    console.log(`Quản trị viên: ${done.admin.email}${done.operator ? `; người vận hành: ${done.operator.email}` : ""}`);
    console.log(`Đăng nhập tại: ${config.publicUrl}/login (chạy máy chủ bằng npm start)`);
  } finally {
    await database.close();
  }
}

main().catch((err) => {
  if (err instanceof ConfigError) console.error(err.message);
  else if (err instanceof AppError) console.error(`Không thiết lập được (${err.code}): ${err.message}`);
  else console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
