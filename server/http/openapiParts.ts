/**
 * The pieces every OpenAPI path file builds its operations from (openapi.ts, openapiPlans.ts,
 * openapiOperations.ts): request bodies from zod schemas, the `{ data }` answer, the usual errors,
 * the `id` path parameter and `op`, one operation with those errors added.
 */
import { z } from "zod";

export type Json = Record<string, unknown>;

/** A zod schema as the JSON Schema of a request body (its input side). */
export const schemaOf = (schema: z.ZodType) => z.toJSONSchema(schema, { io: "input", target: "draft-2020-12" });
export const json = (schema: z.ZodType) => ({ content: { "application/json": { schema: schemaOf(schema) } } });
export const ok = (description: string) => ({
  description,
  content: { "application/json": { schema: { type: "object", properties: { data: {} } } } },
});
export const error = { $ref: "#/components/responses/Error" };
export const errors = { 400: error, 401: error, 403: error, 404: error, 409: error };
export const idParam = { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } };
export const byId = { parameters: [idParam] };

/** One operation: its id, summary, answers (the usual errors added) and anything else it needs. */
export const op = (operationId: string, summary: string, responses: Json, more: Json = {}) => ({
  operationId,
  summary,
  ...more,
  responses: { ...responses, ...errors },
});
