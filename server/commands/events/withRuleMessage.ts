/** Words the machine's refusals with the message the event's declaration names. */
import { AppError, ConflictError } from "../../errors.js";
import { translate, type Locale } from "../../words/catalogue.js";
import { ruleMessageKey } from "./index.js";

/**
 * Returns a 409 rule_violated refusal (from the runtime, which names only the rule) with the
 * declared message for that rule in `locale`; any other error is returned as it is.
 */
export function withRuleMessage(err: unknown, locale: Locale): unknown {
  if (!(err instanceof AppError) || err.code !== "rule_violated") return err;
  const details = (err.details ?? {}) as { event?: string; rule?: string };
  const message = translate(locale, ruleMessageKey(details.event ?? "", details.rule));
  return new ConflictError("rule_violated", message, err.details);
}
