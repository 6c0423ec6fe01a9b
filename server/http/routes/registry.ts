/** /api/v1: experts, users, agencies, member associations, API tokens, my invitations. */
import { Router, type Request } from "express";
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import {
  agencies,
  apiTokens,
  assignments,
  experts,
  holidays,
  invitations,
  memberAssociations,
  organizations,
  users,
} from "../../db/schema.js";
import { resolveSettings } from "../../settings.js";
import { updateSettings } from "../../commands/updateSettings.js";
import type { Actor } from "../../runtime/actor.js";
import type { RuntimeDeps } from "../../runtime/applyEvent.js";
import { requireRole } from "../../policies/assignmentPolicy.js";
import {
  createAgency,
  createApiToken,
  createExpert,
  createMemberAssociation,
  createUser,
  revokeApiToken,
  updateExpert,
  updateUser,
} from "../../commands/registry.js";
import { respondToInvitation } from "../../commands/respondToInvitation.js";
import { foldVietnamese } from "../../text.js";
import {
  SettingsSchema,
  AgencySchema,
  ExpertSchema,
  InvitationEventSchema,
  MemberAssociationSchema,
  TokenSchema,
  UpdateUserSchema,
  UserSchema,
} from "../schemas.js";
import { parse } from "../validate.js";
import { z } from "zod";

const actorOf = (req: Request) => req.actor as Actor;
const presentUser = (u: typeof users.$inferSelect) => ({
  id: u.id,
  email: u.email,
  fullName: u.fullName,
  roles: u.roles,
  agencyId: u.agencyId,
  expertId: u.expertId,
  locale: u.locale,
  active: u.active,
});

export function registryRoutes(deps: RuntimeDeps) {
  const r = Router();
  const { db, clock } = deps;

  r.get("/experts", async (req, res) => {
    const actor = actorOf(req);
    requireRole(actor, "admin", "secretariat", "leadership");
    const q = parse(
      z.object({ q: z.string().max(200).optional(), active: z.enum(["true", "false"]).optional() }).strict(),
      req.query,
    );
    const conds = [eq(experts.organizationId, actor.organizationId)];
    if (q.q?.trim()) conds.push(sql`${experts.searchText} like ${"%" + foldVietnamese(q.q) + "%"}`);
    if (q.active) conds.push(eq(experts.active, q.active === "true"));
    // Load and reliability from the organisation's own history.
    const rows = await db
      .select({
        e: experts,
        load: sql<number>`(select count(*)::int from ${invitations} i where i.expert_id = ${experts.id} and
          i.state = 'accepted')`,
        declines: sql<number>`(select count(*)::int from ${invitations} i where i.expert_id = ${experts.id} and
          i.state in ('declined','expired'))`,
        invited: sql<number>`(select count(*)::int from ${invitations} i where i.expert_id = ${experts.id})`,
      })
      .from(experts)
      .where(and(...conds))
      .orderBy(sql`${experts.fullName} collate "und-x-icu"`)
      .limit(500);
    res.json({
      data: rows.map((x) => ({
        ...x.e,
        searchText: undefined,
        load: Number(x.load),
        declineRate: Number(x.invited) ? Number(x.declines) / Number(x.invited) : 0,
      })),
    });
  });

  r.post("/experts", async (req, res) => {
    const row = await createExpert(db, { actor: actorOf(req), input: parse(ExpertSchema, req.body) });
    res.status(201).json({ data: { ...row, searchText: undefined } });
  });

  r.patch("/experts/:id", async (req, res) => {
    const row = await updateExpert(db, {
      actor: actorOf(req),
      id: req.params.id,
      input: parse(ExpertSchema.partial(), req.body),
    });
    res.json({ data: { ...row, searchText: undefined } });
  });

  r.get("/agencies", async (req, res) => {
    const rows = await db
      .select()
      .from(agencies)
      .where(eq(agencies.organizationId, actorOf(req).organizationId))
      .orderBy(sql`${agencies.name} collate "und-x-icu"`);
    res.json({ data: rows });
  });

  r.get("/member-associations", async (req, res) => {
    const rows = await db
      .select()
      .from(memberAssociations)
      .where(eq(memberAssociations.organizationId, actorOf(req).organizationId))
      .orderBy(sql`${memberAssociations.name} collate "und-x-icu"`);
    res.json({ data: rows });
  });

  r.get("/users", async (req, res) => {
    const actor = actorOf(req);
    requireRole(actor, "admin");
    const rows = await db
      .select()
      .from(users)
      .where(eq(users.organizationId, actor.organizationId))
      .orderBy(asc(users.email));
    res.json({ data: rows.map(presentUser) });
  });

  r.post("/users", async (req, res) => {
    const row = await createUser(db, { actor: actorOf(req), input: parse(UserSchema, req.body) });
    res.status(201).json({ data: presentUser(row) });
  });

  r.patch("/users/:id", async (req, res) => {
    const row = await updateUser(db, {
      actor: actorOf(req),
      id: req.params.id,
      input: parse(UpdateUserSchema, req.body),
    });
    res.json({ data: presentUser(row) });
  });

  r.post("/agencies", async (req, res) => {
    res
      .status(201)
      .json({ data: await createAgency(db, { actor: actorOf(req), input: parse(AgencySchema, req.body) }) });
  });

  r.post("/member-associations", async (req, res) => {
    res.status(201).json({
      data: await createMemberAssociation(db, {
        actor: actorOf(req),
        input: parse(MemberAssociationSchema, req.body),
      }),
    });
  });

  r.get("/settings", async (req, res) => {
    const actor = actorOf(req);
    requireRole(actor, "admin", "secretariat", "leadership");
    const [org] = await db.select().from(organizations).where(eq(organizations.id, actor.organizationId));
    const year = Number(clock.now().toISOString().slice(0, 4));
    const days = await db
      .select()
      .from(holidays)
      .where(and(eq(holidays.organizationId, actor.organizationId), sql`${holidays.day} >= ${`${year}-01-01`}`))
      .orderBy(asc(holidays.day));
    res.json({
      data: {
        name: org.name,
        shortName: org.shortName,
        settings: resolveSettings(org.settings),
        holidays: days.map((d) => ({ day: d.day, name: d.name })),
      },
    });
  });

  r.put("/settings", async (req, res) => {
    const input = parse(SettingsSchema, req.body);
    res.json({ data: await updateSettings(db, { actor: actorOf(req), input: input as never }) });
  });

  r.get("/me", (req, res) => {
    const a = actorOf(req);
    res.json({
      data: {
        id: a.id,
        name: a.name,
        roles: a.roles,
        organizationId: a.organizationId,
        agencyId: a.agencyId,
        expertId: a.expertId,
        locale: a.locale,
        csrfToken: req.session?.csrfToken ?? null,
      },
    });
  });

  r.get("/tokens", async (req, res) => {
    const actor = actorOf(req);
    const rows = await db
      .select()
      .from(apiTokens)
      .where(and(eq(apiTokens.userId, actor.id ?? ""), isNull(apiTokens.revokedAt)));
    res.json({ data: rows.map((t) => ({ id: t.id, name: t.name, createdAt: t.createdAt.toISOString() })) });
  });

  r.post("/tokens", async (req, res) => {
    const t = await createApiToken(db, { actor: actorOf(req), name: parse(TokenSchema, req.body).name });
    res.status(201).json({ data: { ...t, createdAt: t.createdAt.toISOString() } });
  });

  r.delete("/tokens/:id", async (req, res) => {
    await revokeApiToken(db, { actor: actorOf(req), id: req.params.id, now: clock.now() });
    res.status(204).end();
  });

  r.get("/invitations", async (req, res) => {
    const actor = actorOf(req);
    if (!actor.expertId) return void res.json({ data: [] });
    const rows = await db
      .select({ i: invitations, a: assignments })
      .from(invitations)
      .innerJoin(assignments, eq(assignments.id, invitations.assignmentId))
      .where(and(eq(invitations.organizationId, actor.organizationId), eq(invitations.expertId, actor.expertId)))
      .orderBy(asc(invitations.createdAt));
    res.json({
      data: rows.map(({ i, a }) => ({
        id: i.id,
        assignmentId: a.id,
        assignmentCode: a.code,
        title: a.title,
        role: i.panelRole,
        state: i.state,
        dueAt: i.dueAt?.toISOString() ?? null,
      })),
    });
  });

  r.post("/invitations/:id/events", async (req, res) => {
    const event = parse(InvitationEventSchema, req.body);
    const row = await respondToInvitation(deps, {
      actor: actorOf(req),
      invitationId: req.params.id,
      event: event as never,
    });
    res.json({ data: { id: row.id, state: row.state, version: row.version } });
  });

  return r;
}
