/** The type of a named route handler: `Handler<"id">` reads `req.params.id` as a string. */
import type { RequestHandler } from "express";

/** An Express handler whose route has the named parameters (`/assignments/:id` → `Handler<"id">`). */
export type Handler<P extends string = never> = RequestHandler<{ [K in P]: string }>;
