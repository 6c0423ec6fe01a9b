/**
 * The demo organisation's rates table (server/money/demoRates.json): organisation data for the demo
 * seed and the tests, never used as defaults. Each organisation enters its own province's rates.
 */
import data from "./demoRates.json" with { type: "json" };
import type { Rate } from "./types.js";

/** A fresh copy of the demo rates. */
export function demoRates(): Rate[] {
  return (data.rates as Rate[]).map((r) => ({ ...r }));
}
