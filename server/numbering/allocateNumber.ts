/**
 * Takes numbers from a register: per organisation, register and year, gap-free and unique. A
 * number is taken only inside the transaction that uses it: the upsert locks the register row
 * until commit, so concurrent issues queue and a rollback gives the number back.
 */
import { sql } from "drizzle-orm";
import type { Tx } from "../db/connect.js";
import { registers } from "../db/schema.js";

/** Takes the next number of a register for a year (1 on 1 January). Throws what the database throws. */
export async function allocateNumber(tx: Tx, organizationId: string, register: string, year: number): Promise<number> {
  const rows = await tx
    .insert(registers)
    .values({ organizationId, register, year, lastNumber: 1 })
    .onConflictDoUpdate({
      target: [registers.organizationId, registers.register, registers.year],
      set: { lastNumber: sql`${registers.lastNumber} + 1` },
    })
    .returning({ n: registers.lastNumber });
  return rows[0].n;
}
