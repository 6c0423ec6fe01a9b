/**
 * The message of an error code in the reader's language. Every AppError code has a word in both
 * locale files (`error.<code>`); the test in test/words/catalogue.test.ts finds codes without one.
 */
import { hasLabel, translate, type Locale } from "./catalogue.js";

/**
 * The message to show for `code`. Vietnamese readers get the message the code was thrown with when
 * there is one (it is Vietnamese and may name the field or the rule at fault), else the catalogue's;
 * English readers get the catalogue's English word, else the thrown message.
 */
export function errorMessage(code: string, locale: Locale, thrown?: string): string {
  const known = hasLabel("error", code, locale);
  if (locale === "en") return known ? translate("en", `error.${code}`) : (thrown ?? translate("en", "error.unknown"));
  if (thrown) return thrown;
  return known ? translate("vi", `error.${code}`) : translate("vi", "error.unknown");
}
