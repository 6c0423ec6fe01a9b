/** The zod schemas of the money API (rates, estimates, payments, statements), beside the commands they feed. */
import { z } from "zod";
import { RATE_ITEMS, RATE_ROLES } from "../money/types.js";

const text = (max = 2000) => z.string().trim().min(1).max(max);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "YYYY-MM-DD");
const dong = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const count = z.number().int().min(0).max(10_000);

export const RateSchema = z
  .object({
    item: z.enum(RATE_ITEMS),
    role: z.enum(RATE_ROLES).nullable().optional(),
    label: text(500),
    unit: text(50),
    amount: dong,
    effectiveFrom: day,
    effectiveTo: day.nullable().optional(),
    legalBasis: text(1000),
  })
  .strict();

export const EstimateSchema = z
  .object({
    panel: z.object({ chair: count, secretary: count, reviewer: count, member: count }).partial().strict(),
    forms: z
      .array(z.enum(["council", "expert_group", "workshop", "written"]))
      .min(1)
      .max(4),
    meetings: count.optional(),
    workshop: z.object({ sessions: count, papers: count, participants: count }).partial().strict().optional(),
    travel: count.optional(),
    printing: count.optional(),
    ratesOn: day.optional(),
    adjustments: z
      .array(z.object({ label: text(300), amount: z.number().int(), reason: z.string().trim().max(1000) }).strict())
      .max(50)
      .optional(),
    reason: z.string().trim().max(1000).optional(),
  })
  .strict();

export const PaymentSchema = z
  .object({
    assignmentId: z.string().uuid(),
    payee: z
      .object({
        kind: z.enum(["expert", "person", "organization"]),
        expertId: z.string().uuid().nullable().optional(),
        name: z.string().trim().max(300).optional(),
      })
      .strict(),
    item: z.enum([...RATE_ITEMS, "other"]),
    description: text(500),
    amount: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    taxWithheld: dong.optional(),
    paidOn: day,
    voucherNumber: text(100),
  })
  .strict();

export const ReversalSchema = z
  .object({
    amount: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
    paidOn: day,
    voucherNumber: text(100),
    reason: text(1000),
  })
  .strict();

export const PaymentQuery = z
  .object({
    year: z.coerce.number().int().min(2000).max(2200).optional(),
    assignmentId: z.string().uuid().optional(),
    expertId: z.string().uuid().optional(),
  })
  .strict();

export const YearQuery = z.object({ year: z.coerce.number().int().min(2000).max(2200) }).strict();
