/**
 * A test world: its own organisation (users for every role, agencies, experts), the real app on
 * the shared test database, an injected clock, the real effect and deadline workers driven by
 * hand (`settled()`), and a mail seam that keeps what was sent.
 */
import path from "node:path";
import os from "node:os";
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import pino from "pino";
import request from "supertest";
import { randomBytes, randomUUID } from "node:crypto";
import { createKeyVault } from "../../server/signing/keyVault.js";
import { createApp } from "../../server/app.js";
import { installDomainHandlers } from "../../server/server.js";
import { loadConfig } from "../../server/config.js";
import { organizations, agencies, experts, users, apiTokens } from "../../server/db/schema.js";
import { ManualClock, MovableClock, type Clock } from "../../server/runtime/clock.js";
import { databaseClockStore } from "../../server/runtime/clockStore.js";
import { createEffectWorker, type EffectHandler } from "../../server/runtime/effectWorker.js";
import { createDeadlineWorker } from "../../server/runtime/deadlineWorker.js";
import { createSendMail, reportMailFailure, type MailDeps } from "../../server/effects/sendMail.js";
import { createRenderDocument } from "../../server/effects/renderDocument.js";
import { createImportExperts } from "../../server/effects/importExperts.js";
import { createEmailTemplates } from "../../server/mail/templates.js";
import type { Mailer, OutgoingMail } from "../../server/adapters/mailer.js";
import { DEFAULT_SETTINGS, type OrgSettings } from "../../server/settings.js";
import { newSecret } from "../../server/auth/passwords.js";
import { expertSearchText } from "../../server/commands/registry.js";
import { testDatabase } from "./db.js";
import { createDocumentService } from "../../server/documents/service.js";
import { documentTemplates, sharedRenderer } from "./documents.js";
import type { Role } from "../../server/runtime/actor.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const silentLogger = pino({ level: "silent" });
/** The secret test worlds sign invitation links with. */
export const TEST_LINK_SECRET = "test-link-secret-0123456789abcdef0123456789";

/** A mailer that keeps messages in memory (the mail seam). */
export function memoryMailer(): Mailer & { sent: OutgoingMail[]; failNext?: (m: OutgoingMail) => Error | undefined } {
  const sent: OutgoingMail[] = [];
  const m = {
    mode: "files" as const,
    sent,
    failNext: undefined as ((msg: OutgoingMail) => Error | undefined) | undefined,
    async send(msg: OutgoingMail) {
      const err = m.failNext?.(msg);
      if (err) throw err;
      sent.push(msg);
      return { messageId: msg.messageId, accepted: msg.to.map((t) => t.address), rejected: [] };
    },
    async close() {},
  };
  return m;
}

export type World = Awaited<ReturnType<typeof createWorld>>;

/** The world's administrator as a command's actor (for commands called without HTTP). */
export const adminActor = (w: World) => ({
  kind: "user" as const,
  id: w.userFor("admin").id,
  organizationId: w.org.id,
  name: "Quản trị",
  roles: ["admin" as const],
  agencyId: null,
  expertId: null,
  locale: "vi" as const,
});

const EXPERT_NAMES = [
  "Nguyễn Thị Phương Thảo",
  "Trần Đức Hưng",
  "Lê Minh Châu",
  "Phạm Quốc Khánh",
  "Đỗ Thị Ngọc Ánh",
  "Vũ Văn Đạt",
  "Hoàng Thị Lan",
  "Ngô Quang Vinh",
  "Bùi Thị Hằng",
  "Ma Văn Sơn",
];

/** Builds a fresh organisation and app. `settings` overrides organisation settings. */
export async function createWorld(
  opts: {
    settings?: Partial<OrgSettings> & Record<string, unknown>;
    handlers?: Record<string, EffectHandler>;
    start?: string;
    documents?: boolean;
    /** A timestamp authority for the signatures of issued documents. */
    tsaUrl?: string;
    /** Run on the installation's movable clock over the manual one ("production": it refuses to move). */
    movableClock?: "development" | "production";
    /** With movableClock: keep its offset in the database under this key, as an installation does. */
    clockKey?: string;
  } = {},
) {
  installDomainHandlers();
  const database = await testDatabase();
  const db = database.db;
  const clock = new ManualClock(opts.start ?? "2026-03-02T01:00:00Z");
  const runClock: Clock = opts.movableClock
    ? new MovableClock(clock, {
        movable: opts.movableClock === "development",
        store: opts.clockKey ? databaseClockStore(db, opts.clockKey) : undefined,
      })
    : clock;
  const tag = randomUUID().slice(0, 8);
  const settings: OrgSettings = {
    ...DEFAULT_SETTINGS,
    place: "Tuyên Quang",
    issuerName: "LIÊN HIỆP CÁC HỘI KHOA HỌC VÀ KỸ THUẬT TỈNH TUYÊN QUANG",
    minPanel: { council: 3, expert_group: 2, workshop: 2, written: 2 },
    minOpinions: { council: 3, expert_group: 2, workshop: 2, written: 2 },
    mail: { fromName: "Liên hiệp hội", fromAddress: "tvpb@test.vn" },
    ...opts.settings,
  };
  const [org] = await db
    .insert(organizations)
    .values({ slug: `org-${tag}`, name: `Liên hiệp các Hội KH&KT tỉnh Thử nghiệm ${tag}`, shortName: "LHH", settings })
    .returning();
  const [agency, otherAgency] = await db
    .insert(agencies)
    .values([
      { organizationId: org.id, name: "Ủy ban nhân dân tỉnh Tuyên Quang", email: `ubnd-${tag}@test.vn` },
      { organizationId: org.id, name: "Sở Xây dựng tỉnh Tuyên Quang", email: `sxd-${tag}@test.vn` },
    ])
    .returning();
  const ex = await db
    .insert(experts)
    .values(
      EXPERT_NAMES.map((fullName, i) => ({
        organizationId: org.id,
        fullName,
        degree: "TS.",
        fields: [i % 2 ? "Nông nghiệp" : "Dược liệu"],
        workplace: "Trường Đại học Tân Trào",
        email: `expert${i}-${tag}@test.vn`,
        searchText: expertSearchText({
          fullName,
          degree: "TS.",
          fields: [i % 2 ? "Nông nghiệp" : "Dược liệu"],
          workplace: "Trường Đại học Tân Trào",
        }),
      })),
    )
    .returning();

  const roles: Role[] = ["agency", "secretariat", "leadership", "clerk", "admin"];
  const us = await db
    .insert(users)
    .values([
      ...roles.map((r) => ({
        organizationId: org.id,
        email: `${r}-${tag}@test.vn`,
        fullName: `Người dùng ${r}`,
        roles: [r],
        agencyId: r === "agency" ? agency.id : null,
      })),
      {
        organizationId: org.id,
        email: `otheragency-${tag}@test.vn`,
        fullName: "Cán bộ Sở Xây dựng",
        roles: ["agency"],
        agencyId: otherAgency.id,
      },
      ...ex.map((e, i) => ({
        organizationId: org.id,
        email: `expertuser${i}-${tag}@test.vn`,
        fullName: e.fullName,
        roles: ["expert"],
        expertId: e.id,
      })),
    ])
    .returning();
  const tokens: Record<string, string> = {};
  for (const u of us) {
    const { token, hash } = newSecret("tvpb_");
    await db.insert(apiTokens).values({ organizationId: org.id, userId: u.id, name: "test", tokenHash: hash });
    tokens[u.id] = token;
  }
  const userFor = (key: Role | "otheragency" | `expert${number}`) => {
    if (key === "otheragency") return us.find((u) => u.email.startsWith("otheragency"))!;
    if (key.startsWith("expert")) return us.find((u) => u.email.startsWith(`expertuser${key.slice(6)}-`))!;
    return us.find((u) => u.roles[0] === key && !u.email.startsWith("otheragency"))!;
  };

  const mailer = memoryMailer();
  const templates = createEmailTemplates({ dir: path.join(root, "templates", "emails") });
  const mailDeps: MailDeps = {
    db,
    clock: runClock,
    mailer,
    templates,
    publicUrl: "http://tvpb.test",
    linkSecret: TEST_LINK_SECRET,
    waitForDocuments: !!opts.documents,
  };
  // `documents: true` renders real PDFs with the run's shared Chromium (test/support/sharedRenderer.ts).
  const documents = createDocumentService({
    db,
    clock: runClock,
    publicUrl: "http://tvpb.test",
    renderer: opts.documents ? sharedRenderer() : null,
    templates: opts.documents ? documentTemplates() : undefined,
    unavailable: "no browser in this test",
    signingVault: createKeyVault(randomBytes(32)),
    tsaUrl: opts.tsaUrl,
  });
  // The run shares one database: this world's workers do only its organisations' work (serve() adds one).
  const served: string[] = [org.id];
  const effectWorker = createEffectWorker({
    db,
    clock: runClock,
    organizations: () => served,
    logger: silentLogger,
    onFailed: (effect, err) => reportMailFailure(mailDeps, effect, err),
    handlers: {
      mail: createSendMail(mailDeps),
      expertImport: createImportExperts({ db }),
      render: createRenderDocument({
        db,
        render: opts.documents ? (id) => documents.renderIssued(id) : null,
        unavailableReason: () => documents.unavailableReason(),
      }),
      ...opts.handlers,
    },
  });
  const deadlineWorker = createDeadlineWorker({
    db,
    clock: runClock,
    logger: silentLogger,
    organizations: () => served,
  });
  const app = createApp({
    db,
    database,
    clock: runClock,
    logger: silentLogger,
    publicUrl: "http://tvpb.test",
    documents,
  });

  const as = (key: Parameters<typeof userFor>[0]) => {
    const token = tokens[userFor(key).id];
    const auth = (r: request.Test) => r.set("Authorization", `Bearer ${token}`);
    return {
      get: (url: string) => auth(request(app).get(url)),
      post: (url: string, body?: object) => auth(request(app).post(url)).send(body ?? {}),
      put: (url: string, body?: object) => auth(request(app).put(url)).send(body ?? {}),
      patch: (url: string, body?: object) => auth(request(app).patch(url)).send(body ?? {}),
      delete: (url: string) => auth(request(app).delete(url)),
      upload: (url: string) => auth(request(app).post(url)),
      uploadPut: (url: string) => auth(request(app).put(url)),
    };
  };

  return {
    db,
    database,
    clock,
    /** The clock the app and workers run on (the movable one when asked for, else `clock`). */
    runClock,
    documents,
    org,
    agency,
    otherAgency,
    experts: ex,
    users: us,
    userFor,
    tokens,
    mailer,
    app,
    effectWorker,
    deadlineWorker,
    as,
    /** Performs every due effect and deadline until nothing is left to do (no sleeping). */
    async settled() {
      for (let i = 0; i < 20; i++) {
        const n = (await deadlineWorker.drain()) + (await effectWorker.drain());
        if (!n) return;
      }
    },
    /** Lets this world's workers do `organizationId`'s effects and deadlines too (a second Union of the test). */
    serve: (organizationId: string) => void served.push(organizationId),
    tmpDir: () => fs.mkdtempSync(path.join(os.tmpdir(), "tvpb-")),
  };
}

/** A realistic order body. */
export function orderBody(over: Record<string, unknown> = {}) {
  return {
    type: "critique",
    forms: ["council", "workshop"],
    subjectKind: "scheme",
    title: "Đề án phát triển cây dược liệu tỉnh Tuyên Quang giai đoạn 2026–2030, định hướng đến năm 2035",
    summary: "Phản biện dự thảo Đề án do Sở Nông nghiệp và Môi trường chủ trì xây dựng.",
    draftingAgency: "Sở Nông nghiệp và Môi trường tỉnh Tuyên Quang",
    orderNumber: "1234/UBND-KGVX",
    orderDate: "2026-02-20",
    requestedDeadline: "2026-05-15",
    budget: 45000000,
    ...over,
  };
}

export const opinionBody = (i = 0) => ({
  general: `Đề án có tính cấp thiết; ý kiến của chuyên gia số ${i + 1}.`,
  specific: [
    {
      section: "Mục II. Thực trạng",
      comment: "Số liệu diện tích trồng dược liệu năm 2025 chưa thống nhất giữa các phụ lục.",
      suggestion: "Rà soát, thống nhất số liệu với Cục Thống kê tỉnh.",
    },
  ],
  conclusion: "agree_with_revisions",
  recommendations: "Bổ sung cơ chế liên kết chuỗi giá trị dược liệu.",
});

export const reportBody = (n = 2) => ({
  content: {
    sections: [
      {
        key: "general",
        title: "I. Khái quát chung",
        paragraphs: [{ text: "Hội đồng đã nhận được đủ ý kiến phản biện." }],
      },
      {
        key: "overall",
        title: "II. Đánh giá chung",
        paragraphs: [{ text: "Đề án cần thiết, phù hợp chủ trương của tỉnh." }],
      },
    ],
    recommendations: Array.from({ length: n }, (_, i) => ({
      text: `Kiến nghị số ${i + 1}: hoàn thiện nội dung đề án theo ý kiến Hội đồng.`,
    })),
    conclusion: "fit_after_revision",
  },
  note: "Bản tổng hợp",
});

/** The configuration of a started test server on `dataDir` (port 0, no demo, silent), with `env` on top. */
export function serverTestConfig(dataDir: string, env: Record<string, string | undefined> = {}) {
  return loadConfig({
    DATA_DIR: dataDir,
    PORT: "0",
    SEED_DEMO: "false",
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    ...env,
  });
}
