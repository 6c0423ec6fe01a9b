/** /api/v1: experts, users, agencies, member associations, settings, API tokens, me, my invitations. */
import { Router } from "express";
import { z } from "zod";
import type { RuntimeDeps } from "../../runtime/applyEvent.js";
import { updateSettings, type SettingsInput } from "../../commands/updateSettings.js";
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
import { listAgencies } from "../../queries/listAgencies.js";
import { listApiTokens } from "../../queries/listApiTokens.js";
import { listExperts } from "../../queries/listExperts.js";
import { listMemberAssociations } from "../../queries/listMemberAssociations.js";
import { listMyInvitations } from "../../queries/listMyInvitations.js";
import { listUsers } from "../../queries/listUsers.js";
import { loadSettings } from "../../queries/loadSettings.js";
import {
  presentApiToken,
  presentExpert,
  presentMe,
  presentMyInvitation,
  presentUser,
} from "../../presenters/registryPresenter.js";
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
import { actorOf } from "../auth.js";
import type { Handler } from "../handler.js";

const ExpertListQuery = z
  .object({ q: z.string().max(200).optional(), active: z.enum(["true", "false"]).optional() })
  .strict();

/** The registry routes (mounted under /api/v1 after requireActor). */
export function registryRoutes(deps: RuntimeDeps): Router {
  const r = Router();
  r.get("/experts", getExperts(deps));
  r.post("/experts", postExpert(deps));
  r.patch("/experts/:id", patchExpert(deps));
  r.get("/agencies", getAgencies(deps));
  r.post("/agencies", postAgency(deps));
  r.get("/member-associations", getMemberAssociations(deps));
  r.post("/member-associations", postMemberAssociation(deps));
  r.get("/users", getUsers(deps));
  r.post("/users", postUser(deps));
  r.patch("/users/:id", patchUser(deps));
  r.get("/settings", getSettings(deps));
  r.put("/settings", putSettings(deps));
  r.get("/me", getMe);
  r.get("/tokens", getTokens(deps));
  r.post("/tokens", postToken(deps));
  r.delete("/tokens/:id", deleteToken(deps));
  r.get("/invitations", getInvitations(deps));
  r.post("/invitations/:id/events", postInvitationEvent(deps));
  return r;
}

/** GET /experts?q=&active=: the registry, searched without diacritics. */
function getExperts({ db }: RuntimeDeps): Handler {
  return async (req, res) => {
    const q = parse(ExpertListQuery, req.query);
    const active = q.active === undefined ? undefined : q.active === "true";
    const rows = await listExperts(db, actorOf(req), { q: q.q, active });
    res.json({ data: rows.map((x) => presentExpert(x.expert, x)) });
  };
}

/** POST /experts: adds an expert to the registry. */
function postExpert({ db }: RuntimeDeps): Handler {
  return async (req, res) => {
    const row = await createExpert(db, { actor: actorOf(req), input: parse(ExpertSchema, req.body) });
    res.status(201).json({ data: presentExpert(row) });
  };
}

/** PATCH /experts/:id: changes an expert's record. */
function patchExpert({ db }: RuntimeDeps): Handler<"id"> {
  return async (req, res) => {
    const input = parse(ExpertSchema.partial(), req.body);
    const row = await updateExpert(db, { actor: actorOf(req), id: req.params.id, input });
    res.json({ data: presentExpert(row) });
  };
}

/** GET /agencies: the ordering agencies. */
function getAgencies({ db }: RuntimeDeps): Handler {
  return async (req, res) => {
    res.json({ data: await listAgencies(db, actorOf(req)) });
  };
}

/** POST /agencies: adds an ordering agency. */
function postAgency({ db }: RuntimeDeps): Handler {
  return async (req, res) => {
    const input = parse(AgencySchema, req.body);
    res.status(201).json({ data: await createAgency(db, { actor: actorOf(req), input }) });
  };
}

/** GET /member-associations: the Union's member associations. */
function getMemberAssociations({ db }: RuntimeDeps): Handler {
  return async (req, res) => {
    res.json({ data: await listMemberAssociations(db, actorOf(req)) });
  };
}

/** POST /member-associations: adds a member association. */
function postMemberAssociation({ db }: RuntimeDeps): Handler {
  return async (req, res) => {
    const input = parse(MemberAssociationSchema, req.body);
    res.status(201).json({ data: await createMemberAssociation(db, { actor: actorOf(req), input }) });
  };
}

/** GET /users: the organisation's accounts (admin). */
function getUsers({ db }: RuntimeDeps): Handler {
  return async (req, res) => {
    res.json({ data: (await listUsers(db, actorOf(req))).map(presentUser) });
  };
}

/** POST /users: creates an account (admin). */
function postUser({ db }: RuntimeDeps): Handler {
  return async (req, res) => {
    const row = await createUser(db, { actor: actorOf(req), input: parse(UserSchema, req.body) });
    res.status(201).json({ data: presentUser(row) });
  };
}

/** PATCH /users/:id: changes an account's name, roles, links, language or active flag (admin). */
function patchUser({ db }: RuntimeDeps): Handler<"id"> {
  return async (req, res) => {
    const input = parse(UpdateUserSchema, req.body);
    const row = await updateUser(db, { actor: actorOf(req), id: req.params.id, input });
    res.json({ data: presentUser(row) });
  };
}

/** GET /settings: the organisation's names, settings and this year's holidays. */
function getSettings({ db, clock }: RuntimeDeps): Handler {
  return async (req, res) => {
    res.json({ data: await loadSettings(db, actorOf(req), clock.now()) });
  };
}

/** PUT /settings: changes names, settings and one year's holidays (admin). */
function putSettings({ db }: RuntimeDeps): Handler {
  return async (req, res) => {
    const input = parse(SettingsSchema, req.body) as SettingsInput;
    res.json({ data: await updateSettings(db, { actor: actorOf(req), input }) });
  };
}

/** GET /me: who the caller is. */
const getMe: Handler = (req, res) => {
  res.json({ data: presentMe(actorOf(req), req.session?.csrfToken ?? null) });
};

/** GET /tokens: the caller's API tokens. */
function getTokens({ db }: RuntimeDeps): Handler {
  return async (req, res) => {
    res.json({ data: (await listApiTokens(db, actorOf(req))).map(presentApiToken) });
  };
}

/** POST /tokens: issues an API token; its secret is in this answer only. */
function postToken({ db }: RuntimeDeps): Handler {
  return async (req, res) => {
    const t = await createApiToken(db, { actor: actorOf(req), name: parse(TokenSchema, req.body).name });
    res.status(201).json({ data: { ...t, createdAt: t.createdAt.toISOString() } });
  };
}

/** DELETE /tokens/:id: revokes one of the caller's tokens. */
function deleteToken({ db, clock }: RuntimeDeps): Handler<"id"> {
  return async (req, res) => {
    await revokeApiToken(db, { actor: actorOf(req), id: req.params.id, now: clock.now() });
    res.status(204).end();
  };
}

/** GET /invitations: the caller's invitations as an expert. */
function getInvitations({ db }: RuntimeDeps): Handler {
  return async (req, res) => {
    res.json({ data: (await listMyInvitations(db, actorOf(req))).map(presentMyInvitation) });
  };
}

/** POST /invitations/:id/events: the invited expert accepts or declines. */
function postInvitationEvent(deps: RuntimeDeps): Handler<"id"> {
  return async (req, res) => {
    const event = parse(InvitationEventSchema, req.body);
    const row = await respondToInvitation(deps, {
      actor: actorOf(req),
      invitationId: req.params.id,
      event: event as never,
    });
    res.json({ data: { id: row.id, state: row.state, version: row.version } });
  };
}
