/**
 * Administration: users and roles, the expert registry (with CSV import: preview, per-row errors,
 * then import), member associations and the organisation's settings (names, signers, margins,
 * timeline, minimums, reminder policy, holidays of a year).
 */
import { Router, type Request, type Response } from "express";
import multer from "multer";
import { z } from "zod";
import { and, asc, eq, gte, lte, sql } from "drizzle-orm";
import { agencies, experts, holidays, memberAssociations, organizations, users } from "../../db/schema.js";
import { AppError, NotFoundError } from "../../errors.js";
import { randomUUID } from "node:crypto";
import { EXPERT_IMPORT_LIMITS, importProgress, queueExpertImport, xlsxToCsv } from "../../effects/importExperts.js";
import { ROLES } from "../../runtime/actor.js";
import type { RuntimeDeps } from "../../runtime/applyEvent.js";
import { requireRole } from "../../policies/assignmentPolicy.js";
import { createExpert, createUser, createMemberAssociation } from "../../commands/registry.js";
import { updateSettings } from "../../commands/updateSettings.js";
import { resolveSettings, type OrgSettings } from "../../settings.js";
import { ExpertSchema, UserSchema } from "../schemas.js";
import { parse } from "../validate.js";
import { csrfProtection } from "../auth.js";
import { actorOf, render, tr } from "./context.js";

const str = (v: unknown) => (typeof v === "string" ? v : "");
const csvUpload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: EXPERT_IMPORT_LIMITS.fileBytes, files: 1, fields: 5 },
});
const CSV_COLUMNS = ["fullName", "academicTitle", "degree", "fields", "workplace", "email", "phone"] as const;

/** Parses CSV (RFC 4180 quotes; comma or semicolon separated, detected from the header). */
export function parseCsv(text: string): string[][] {
  const src = text.replace(/^\uFEFF/, "");
  const sep =
    (src.split(/\r?\n/)[0] ?? "").split(";").length > (src.split(/\r?\n/)[0] ?? "").split(",").length ? ";" : ",";
  const rows: string[][] = [];
  let row: string[] = [],
    cell = "",
    quoted = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === sep) {
      row.push(cell);
      cell = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && src[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += c;
  }
  if (cell || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows.filter((r) => r.some((c) => c.trim()));
}

/** The rows of an expert CSV, each checked against the registry's schema. */
function previewCsv(text: string, t: (k: string, v?: Record<string, unknown>) => string) {
  const rows = parseCsv(text);
  const header = (rows[0] ?? []).map((h) => h.trim());
  const missing = header.includes("fullName") ? null : t("import.needHeader", { columns: CSV_COLUMNS.join(", ") });
  const seen = new Set<string>();
  const out = rows.slice(1).map((cells, i) => {
    const rec: Record<string, string> = {};
    header.forEach((h, j) => {
      rec[h] = (cells[j] ?? "").trim();
    });
    const input = {
      fullName: rec.fullName ?? "",
      academicTitle: rec.academicTitle || null,
      degree: rec.degree || null,
      fields: (rec.fields ?? "")
        .split(/[|;]/)
        .map((x) => x.trim())
        .filter(Boolean),
      workplace: rec.workplace || null,
      email: rec.email || null,
      phone: rec.phone || null,
    };
    const r = ExpertSchema.safeParse(input);
    let error = r.success ? null : `${r.error.issues[0].path.join(".") || "?"}: ${r.error.issues[0].message}`;
    const key = `${input.fullName}|${input.email ?? ""}`.toLowerCase();
    if (!error && seen.has(key)) error = t("import.duplicate");
    seen.add(key);
    return { line: i + 2, input, error, fields: input.fields.join(", ") };
  });
  return { missing, rows: out, ok: out.filter((r) => !r.error).length, bad: out.filter((r) => r.error).length };
}

export function adminUploadPages(deps: RuntimeDeps) {
  const r = Router();
  r.post(
    "/admin/experts/import",
    (req, res, next) => csvUpload.single("file")(req, res, next),
    csrfProtection,
    async (req, res) => {
      const actor = actorOf(req);
      requireRole(actor, "admin", "secretariat");
      const t = tr(req);
      if (!req.file) return showExperts(deps, req, res, { importError: t("upload.required") }, 400);
      const name = req.file.originalname.toLowerCase();
      if (name.endsWith(".xls")) return showExperts(deps, req, res, { importError: t("import.xlsx") }, 415);
      let text: string;
      if (name.endsWith(".xlsx")) {
        try {
          text = await xlsxToCsv(req.file.buffer);
        } catch (err) {
          if (err instanceof AppError && err.status === 413) throw err; // 413 import_too_large
          return showExperts(deps, req, res, { importError: t("import.xlsxUnreadable") }, 400);
        }
      } else {
        text = req.file.buffer.toString("utf8");
      }
      const preview = previewCsv(text, t);
      render(req, res, "importPreview", { ...preview, csv: text });
    },
  );
  return r;
}

async function showExperts(
  deps: RuntimeDeps,
  req: Request,
  res: Response,
  extra: Record<string, unknown> = {},
  status = 200,
) {
  const actor = actorOf(req);
  requireRole(actor, "admin", "secretariat");
  const rows = await deps.db
    .select({ e: experts, assoc: memberAssociations.name })
    .from(experts)
    .leftJoin(memberAssociations, eq(memberAssociations.id, experts.memberAssociationId))
    .where(eq(experts.organizationId, actor.organizationId))
    .orderBy(sql`${experts.fullName} collate "und-x-icu"`);
  const assocs = await deps.db
    .select()
    .from(memberAssociations)
    .where(eq(memberAssociations.organizationId, actor.organizationId))
    .orderBy(asc(memberAssociations.name));
  const ags = await deps.db
    .select()
    .from(agencies)
    .where(eq(agencies.organizationId, actor.organizationId))
    .orderBy(asc(agencies.name));
  render(
    req,
    res,
    "experts",
    {
      rows: rows.map(({ e, assoc }) => ({ ...e, fieldsText: e.fields.join(", "), assoc })),
      assocs,
      agencies: ags,
      values: {},
      errors: {},
      ...extra,
    },
    status,
  );
}

export function adminPages(deps: RuntimeDeps) {
  const r = Router();
  const { db } = deps;

  // ---- Users and roles ----
  const showUsers = async (req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    const actor = actorOf(req);
    const t = tr(req);
    requireRole(actor, "admin");
    const list = await db
      .select()
      .from(users)
      .where(eq(users.organizationId, actor.organizationId))
      .orderBy(asc(users.email));
    const ags = await db
      .select()
      .from(agencies)
      .where(eq(agencies.organizationId, actor.organizationId))
      .orderBy(asc(agencies.name));
    const exs = await db
      .select()
      .from(experts)
      .where(eq(experts.organizationId, actor.organizationId))
      .orderBy(sql`${experts.fullName} collate "und-x-icu"`);
    const v = (extra.values ?? {}) as Record<string, unknown>;
    const chosen = Array.isArray(v.roles) ? v.roles : v.roles ? [v.roles] : [];
    render(
      req,
      res,
      "users",
      {
        rows: list.map((u) => ({ ...u, roleLabels: u.roles.map((x) => t(`role.${x}`)).join(", ") })),
        roles: ROLES.map((x) => ({ value: x, label: t(`role.${x}`), checked: chosen.includes(x) })),
        agencies: ags,
        experts: exs,
        values: v,
        errors: {},
        ...extra,
      },
      status,
    );
  };
  r.get("/admin/users", (req, res) => showUsers(req, res));
  r.post("/admin/users", async (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const roles = Array.isArray(b.roles) ? b.roles : b.roles ? [b.roles] : [];
    const input = {
      email: str(b.email),
      fullName: str(b.fullName).trim(),
      roles,
      ...(str(b.password) ? { password: str(b.password) } : {}),
      agencyId: str(b.agencyId) || null,
      expertId: str(b.expertId) || null,
      locale: str(b.locale) === "en" ? "en" : "vi",
    };
    try {
      await createUser(db, { actor: actorOf(req), input: parse(UserSchema, input) as never });
    } catch (err) {
      if (err instanceof AppError && err.status < 500)
        return showUsers(
          req,
          res,
          { values: b, error: err.message, errors: err.field ? { [err.field.split(".")[0]]: err.message } : {} },
          err.status,
        );
      throw err;
    }
    res.redirect(303, "/admin/users?done=user.created");
  });

  // ---- Expert registry ----
  r.get("/admin/experts", (req, res) => showExperts(deps, req, res));
  r.post("/admin/experts", async (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const input = {
      fullName: str(b.fullName).trim(),
      academicTitle: str(b.academicTitle).trim() || null,
      degree: str(b.degree).trim() || null,
      fields: str(b.fields)
        .split(/[,;\n]/)
        .map((x) => x.trim())
        .filter(Boolean),
      workplace: str(b.workplace).trim() || null,
      memberAssociationId: str(b.memberAssociationId) || null,
      employerAgencyId: str(b.employerAgencyId) || null,
      email: str(b.email).trim() || null,
      phone: str(b.phone).trim() || null,
    };
    try {
      await createExpert(db, { actor: actorOf(req), input: parse(ExpertSchema, input) });
    } catch (err) {
      if (err instanceof AppError && err.status < 500)
        return showExperts(
          deps,
          req,
          res,
          { values: b, error: err.message, errors: err.field ? { [err.field.split(".")[0]]: err.message } : {} },
          err.status,
        );
      throw err;
    }
    res.redirect(303, "/admin/experts?done=expert.created");
  });
  r.post("/admin/experts/import/confirm", async (req, res) => {
    const actor = actorOf(req);
    requireRole(actor, "admin", "secretariat");
    const preview = previewCsv(str((req.body as Record<string, unknown>)?.csv), tr(req));
    const rows = preview.rows.filter((row) => !row.error).map((row) => parse(ExpertSchema, row.input));
    // A long operation: the worker imports the rows and the progress page follows it.
    const id = await db.transaction((tx) =>
      queueExpertImport(tx, { actor, rows, clock: deps.clock, key: randomUUID() }),
    );
    deps.onCommitted?.();
    res.redirect(303, `/admin/experts/import/${id}`);
  });
  r.get("/admin/experts/import/:id", async (req, res) => {
    const actor = actorOf(req);
    requireRole(actor, "admin", "secretariat");
    const progress = /^\d+$/.test(req.params.id)
      ? await importProgress(db, actor.organizationId, Number(req.params.id))
      : null;
    if (!progress) throw new NotFoundError("import_not_found", tr(req)("import.notFound"));
    const finished = progress.status === "done" || progress.status === "failed";
    // Without JavaScript the page refreshes itself every second until the import is finished.
    if (!finished) res.setHeader("Refresh", "1");
    render(req, res, "importProgress", {
      ...progress,
      finished,
      percent: progress.total ? Math.round((100 * progress.done) / progress.total) : 100,
    });
  });

  // ---- Member associations ----
  const showAssocs = async (req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    const actor = actorOf(req);
    requireRole(actor, "admin");
    const rows = await db
      .select({
        m: memberAssociations,
        n: sql<number>`(select count(*)::int from ${experts} e where e.member_association_id =
          ${memberAssociations.id})`,
      })
      .from(memberAssociations)
      .where(eq(memberAssociations.organizationId, actor.organizationId))
      .orderBy(sql`${memberAssociations.name} collate "und-x-icu"`);
    render(
      req,
      res,
      "associations",
      { rows: rows.map((x) => ({ ...x.m, experts: Number(x.n) })), values: {}, ...extra },
      status,
    );
  };
  r.get("/admin/associations", (req, res) => showAssocs(req, res));
  r.post("/admin/associations", async (req, res) => {
    const actor = actorOf(req);
    requireRole(actor, "admin");
    const b = (req.body ?? {}) as Record<string, unknown>;
    const name = str(b.name).trim();
    if (!name || name.length > 300)
      return showAssocs(req, res, { values: b, error: tr(req)("error.field", { field: tr(req)("field.name") }) }, 400);
    await createMemberAssociation(db, { actor, input: { name, shortName: str(b.shortName).trim() || null } });
    res.redirect(303, "/admin/associations?done=association.created");
  });

  // ---- Organisation settings ----
  const showSettings = async (req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    const actor = actorOf(req);
    requireRole(actor, "admin");
    const [org] = await db.select().from(organizations).where(eq(organizations.id, actor.organizationId));
    const s = resolveSettings(org.settings);
    const year =
      Number(str(req.query.year) || str((req.body as Record<string, unknown> | undefined)?.year)) ||
      Number(deps.clock.now().toISOString().slice(0, 4));
    const hs = await db
      .select()
      .from(holidays)
      .where(
        and(
          eq(holidays.organizationId, actor.organizationId),
          gte(holidays.day, `${year}-01-01`),
          lte(holidays.day, `${year}-12-31`),
        ),
      )
      .orderBy(asc(holidays.day));
    const rem = s.reminders.default;
    render(
      req,
      res,
      "settings",
      {
        org,
        s,
        year,
        holidaysText: hs.map((h) => `${h.day} ${h.name}`).join("\n"),
        signers: [...s.signers, { key: "", name: "", title: "", authority: "", authorityTitle: "" }].map((x, i) => ({
          ...x,
          i,
        })),
        timelineFields: Object.entries(s.timeline).map(([k, v]) => ({ k, v })),
        minFields: (["council", "expert_group", "workshop", "written"] as const).map((f) => ({
          f,
          panel: s.minPanel[f],
          opinions: s.minOpinions[f],
        })),
        reminder: {
          before: rem.before.join(", "),
          onDue: rem.onDue,
          after: rem.after.join(", "),
          escalateSecretariatAfter: rem.escalateSecretariatAfter,
          escalateLeadershipAfter: rem.escalateLeadershipAfter,
        },
        ...extra,
      },
      status,
    );
  };
  r.get("/admin/settings", (req, res) => showSettings(req, res));
  r.post("/admin/settings", async (req, res) => {
    const actor = actorOf(req);
    requireRole(actor, "admin");
    const t = tr(req);
    const b = (req.body ?? {}) as Record<string, Record<string, unknown> & unknown>;
    const [org] = await db.select().from(organizations).where(eq(organizations.id, actor.organizationId));
    const cur = resolveSettings(org.settings);
    const num = z.coerce.number().int().min(0).max(365);
    const nums = (v: unknown) =>
      str(v)
        .split(/[,\s]+/)
        .filter(Boolean)
        .map(Number);
    const Shape = z.object({
      name: z.string().trim().min(1).max(300),
      shortName: z.string().trim().min(1).max(120),
      parentBody: z.string().max(200),
      issuerName: z.string().min(1).max(300),
      issuerAbbr: z.string().min(1).max(20),
      unitAbbr: z.string().min(1).max(20),
      place: z.string().max(100),
      address: z.string().max(300),
      email: z.string().max(200),
      phone: z.string().max(40),
      margins: z.object({ top: num, bottom: num, left: num, right: num }),
      timeline: z.object(
        Object.fromEntries(Object.keys(cur.timeline).map((k) => [k, z.coerce.number().int().min(1).max(120)])),
      ),
      minPanel: z.record(z.string(), z.coerce.number().int().min(1).max(30)),
      minOpinions: z.record(z.string(), z.coerce.number().int().min(1).max(30)),
      signers: z.array(
        z.object({
          key: z.string().min(1).max(40),
          name: z.string().min(1).max(200),
          title: z.string().min(1).max(100),
          authority: z.enum(["", "TM.", "KT.", "Q.", "TL.", "TUQ."]),
          authorityTitle: z.string().max(100).optional(),
        }),
      ),
      reminder: z.object({
        before: z.array(z.number().int().min(1).max(30)),
        onDue: z.boolean(),
        after: z.array(z.number().int().min(1).max(30)),
        escalateSecretariatAfter: num,
        escalateLeadershipAfter: num,
      }),
    });
    const signers = Object.values((b.signers ?? {}) as Record<string, Record<string, string>>)
      .filter((x) => str(x.name).trim())
      .map((x) => ({
        key: str(x.key).trim() || str(x.name).trim().toLowerCase().replace(/\s+/g, "-").slice(0, 40),
        name: str(x.name).trim(),
        title: str(x.title).trim(),
        authority: str(x.authority),
        authorityTitle: str(x.authorityTitle).trim() || undefined,
      }));
    const rem = (b.reminder ?? {}) as Record<string, unknown>;
    const raw = {
      name: b.name,
      shortName: b.shortName,
      parentBody: b.parentBody,
      issuerName: b.issuerName,
      issuerAbbr: b.issuerAbbr,
      unitAbbr: b.unitAbbr,
      place: b.place,
      address: b.address,
      email: b.email,
      phone: b.phone,
      margins: b.margins,
      timeline: b.timeline,
      minPanel: b.minPanel,
      minOpinions: b.minOpinions,
      signers,
      reminder: {
        before: nums(rem.before),
        onDue: rem.onDue === "on",
        after: nums(rem.after),
        escalateSecretariatAfter: rem.escalateSecretariatAfter,
        escalateLeadershipAfter: rem.escalateLeadershipAfter,
      },
    };
    const r0 = Shape.safeParse(raw);
    const year = Number(str(b.year)) || Number(deps.clock.now().toISOString().slice(0, 4));
    const hol = str(b.holidays)
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean)
      .map((l) => ({ day: l.slice(0, 10), name: l.slice(10).trim() || l.slice(0, 10) }));
    const badHol = hol.find((h) => !/^\d{4}-\d{2}-\d{2}$/.test(h.day) || !h.day.startsWith(String(year)));
    if (!r0.success || badHol) {
      const field = r0.success ? "holidays" : r0.error.issues[0].path.join(".");
      return showSettings(req, res, { error: t("error.field", { field }), errorField: field }, 400);
    }
    const v = r0.data;
    await updateSettings(db, {
      actor,
      input: {
        name: v.name,
        shortName: v.shortName,
        settings: {
          parentBody: v.parentBody,
          issuerName: v.issuerName,
          issuerAbbr: v.issuerAbbr,
          unitAbbr: v.unitAbbr,
          place: v.place,
          address: v.address,
          email: v.email,
          phone: v.phone,
          margins: v.margins,
          timeline: v.timeline as OrgSettings["timeline"],
          minPanel: v.minPanel as OrgSettings["minPanel"],
          minOpinions: v.minOpinions as OrgSettings["minOpinions"],
          signers: v.signers,
          reminders: { ...cur.reminders, default: v.reminder },
        },
        holidays: { year, days: hol },
      },
    });
    res.redirect(303, `/admin/settings?year=${year}&done=settings.saved`);
  });

  return r;
}
