/**
 * Pages are registered by name: each page file exports a list of routes (method, path, handler),
 * and index.ts mounts the lists. A handler receives the page dependencies, the request and the
 * response, and reads top to bottom: parse → load/authorize → command/query → present → render.
 */
import type { Request, RequestHandler, Response, Router } from "express";
import type { SignInThrottle } from "../signInThrottle.js";
import type { DocumentService } from "../../documents/service.js";
import type { RuntimeDeps } from "../../runtime/applyEvent.js";
import { AppError } from "../../errors.js";
import { csrfProtection } from "../auth.js";
import { guardMultipart } from "../inputGuards.js";
import { translate } from "../../words/catalogue.js";
import { formatDate } from "../../views/viewHelpers.js";

/** What page handlers may use: the database and clock (through queries and commands), documents. */
export type PageDeps = RuntimeDeps & {
  secureCookies: boolean;
  documents: DocumentService;
  /** The sign-in throttle the API shares (server/http/signInThrottle.ts). */
  signInThrottle: SignInThrottle;
  /** The one-time code of the first-run page, while the installation is empty (else absent). */
  setupCode?: string | null;
  /** Production: no demo sign-in list and no change of demo account, whatever the database holds. */
  production?: boolean;
};

/** A page handler. */
export type PageHandler = (deps: PageDeps, req: Request, res: Response) => Promise<void> | void;

/** One route of a page file; `upload` parses a multipart body (the CSRF token is checked after it). */
export type PageRoute = { method: "get" | "post"; path: string; handler: PageHandler; upload?: RequestHandler };

/** A GET route. */
export const get = (path: string, handler: PageHandler): PageRoute => ({ method: "get", path, handler });

/** A POST route (URL-encoded form). */
export const post = (path: string, handler: PageHandler): PageRoute => ({ method: "post", path, handler });

/** A POST route with a multipart body parsed by `upload` (multer). */
export const postUpload = (path: string, upload: RequestHandler, handler: PageHandler): PageRoute => ({
  method: "post",
  path,
  handler,
  upload,
});

/** Mounts routes on a router; multipart ones get their parser, then the CSRF check. */
export function mountPages(r: Router, deps: PageDeps, routes: PageRoute[]): Router {
  for (const route of routes) {
    const run = async (req: Request, res: Response) => route.handler(deps, req, res);
    if (route.upload) r.post(route.path, guardMultipart(route.upload), csrfProtection, run);
    else r[route.method](route.path, run);
  }
  return r;
}

/**
 * Runs a form's command. A refusal the person can fix (a 4xx AppError; a 404 only when
 * `notFoundToo`) goes to `again`, which re-renders the form; anything else is thrown on.
 * @returns whether the command succeeded
 */
export async function attempt(
  run: () => Promise<unknown>,
  again: (err: AppError) => Promise<void> | void,
  opts: { notFoundToo?: boolean } = {},
): Promise<boolean> {
  try {
    await run();
    return true;
  } catch (err) {
    if (!(err instanceof AppError) || err.status >= 500 || (err.status === 404 && !opts.notFoundToo)) throw err;
    await again(err);
    return false;
  }
}

export { str } from "./forms/fields.js";

/**
 * Answers a background autosave: JSON with when it was saved (in words, Vietnam time), or the
 * refusal a person can fix as a JSON error (the form stays as typed; the page shows the message).
 */
export async function answerAutosave(req: Request, res: Response, save: () => Promise<Date>): Promise<void> {
  try {
    const at = await save();
    const message = translate(req.locale ?? "vi", "autosave.saved", { time: formatDate(at, true) });
    res.json({ data: { savedAt: at.toISOString(), message } });
  } catch (err) {
    if (!(err instanceof AppError) || err.status >= 500) throw err;
    res.status(err.status).json({ error: { code: err.code, message: err.message, field: err.field } });
  }
}

/** The request's form body as a record. */
export const bodyOf = (req: Request) => (req.body ?? {}) as Record<string, unknown>;
