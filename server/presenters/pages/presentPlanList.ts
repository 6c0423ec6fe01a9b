/** The annual plans page: each year's list with its step in words, and the secretariat's form to open a year. */
import type { listAnnualPlans } from "../../queries/listAnnualPlans.js";
import type { Translate } from "./pageTypes.js";
import { formOf, type PlanFormState } from "./planFormFields.js";

type Plans = Awaited<ReturnType<typeof listAnnualPlans>>;

/** The page model; `create` when the actor opens years (the secretariat). */
export function presentPlanList(
  plans: Plans,
  opts: { create: boolean; year: number },
  state: PlanFormState,
  t: Translate,
) {
  const f = formOf(state, "create");
  const field = (name: string, kind: "text" | "number" | "date", value: unknown, required = true) => ({
    id: `c-${name}`,
    name,
    label: t(`planField.${name}`),
    kind,
    required,
    value: f.values[name] ?? value,
    error: f.errors[name],
  });
  return {
    rows: plans.map((p) => ({
      href: `/plans/${p.id}`,
      year: p.year,
      title: p.title,
      stepLabel: t(`planState.${p.state}`),
      items: p.items,
      proposalsDueOn: p.proposalsDueOn,
    })),
    create: opts.create
      ? {
          error: f.error,
          fields: [
            field("year", "number", opts.year + 1),
            field("proposalsDueOn", "date", ""),
            field("planTitle", "text", "", false),
          ],
        }
      : null,
  };
}
