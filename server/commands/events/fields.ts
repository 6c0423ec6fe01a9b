/** The zod building blocks of payloads, shared by the event declarations and the API's other schemas. */
import { z } from "zod";

/** A required, trimmed, non-empty text of at most `max` characters. */
export const text = (max = 4000) => z.string().trim().min(1).max(max);
/** An optional trimmed text of at most `max` characters. */
export const optText = (max = 4000) => z.string().trim().max(max).optional();
/** A UUID. */
export const uuid = z.string().uuid();
/** A calendar date, YYYY-MM-DD. */
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "YYYY-MM-DD");
/** A panel seat's role. */
export const panelRole = z.enum(["chair", "secretary", "member"]);
/** An expert proposed for a seat. */
export const candidate = z.object({ expertId: uuid, role: panelRole });
/** An agency's answer to one numbered recommendation. */
export const answer = z.object({
  recommendationId: uuid,
  status: z.enum(["accepted", "partly", "not_accepted"]),
  explanation: optText(),
});
