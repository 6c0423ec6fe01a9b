/** Administration of users and their roles. */
import type { Request, Response } from "express";
import type { AppError } from "../../errors.js";
import { authorizePage } from "../../policies/pagePolicy.js";
import { createUser } from "../../commands/registry.js";
import { loadUserAdministration } from "../../queries/loadUserAdministration.js";
import { presentUsers, type UserFormState } from "../../presenters/pages/presentUsers.js";
import { UserSchema } from "../schemas.js";
import { parse } from "../validate.js";
import { actorOf, render, tr } from "./context.js";
import { readUserForm } from "./forms/readUserForm.js";
import { attempt, bodyOf, get, post, type PageDeps } from "./pageRoute.js";

/** The form state of a refused form: what was typed, the message, and the message beside its field. */
export const refusedForm = (values: Record<string, unknown>, err: AppError) => ({
  values,
  error: err.message,
  errors: err.field ? { [err.field.split(".")[0]]: err.message } : {},
});

async function showUsers(deps: PageDeps, req: Request, res: Response, form: UserFormState = {}, status = 200) {
  const actor = actorOf(req);
  authorizePage(actor, "users");
  render(req, res, "users", presentUsers(await loadUserAdministration(deps.db, actor), form, tr(req)), status);
}

async function addUser(deps: PageDeps, req: Request, res: Response) {
  const b = bodyOf(req);
  const run = () => createUser(deps.db, { actor: actorOf(req), input: parse(UserSchema, readUserForm(b)) as never });
  const again = (err: AppError) => showUsers(deps, req, res, refusedForm(b, err), err.status);
  if (await attempt(run, again, { notFoundToo: true })) res.redirect(303, "/admin/users?done=user.created");
}

/** The users pages. */
export const userPages = [
  get("/admin/users", (deps, req, res) => showUsers(deps, req, res)),
  post("/admin/users", addUser),
];
