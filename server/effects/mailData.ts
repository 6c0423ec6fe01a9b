/**
 * The data a mail template receives, read from the database when the mail effect runs (not when
 * the machine asked for it, so a retried mail carries what is true now). One builder per template
 * (`server/mail/types.ts` says what each expects), kept by audience in `./mailData/`; strings come
 * out already in the recipient's language, dates as dd/mm/yyyy in Vietnam time.
 */
import { EffectError } from "../errors.js";
import { AGENCY_MAILS } from "./mailData/agencyMails.js";
import { EXPERT_MAILS } from "./mailData/expertMails.js";
import { createMailContext, type BuildMailDataProps, type MailContext } from "./mailData/mailContext.js";
import { STAFF_MAILS } from "./mailData/staffMails.js";

export { DEV_LINK_SECRET } from "./mailData/expertMails.js";
export { SIGNIN_LINK_HOURS } from "./mailData/staffMails.js";
export { ISSUED_DOCUMENT_COLUMNS, type BuildMailDataProps, type IssuedDocument } from "./mailData/mailContext.js";

/** Every template's data builder, by template name. */
const MAIL_DATA_BUILDERS: Record<string, (c: MailContext) => Promise<Record<string, unknown>>> = {
  ...AGENCY_MAILS,
  ...EXPERT_MAILS,
  ...STAFF_MAILS,
};

/**
 * Builds the full data object of `template` for one recipient.
 * @throws EffectError `mail_unknown_template` (permanent) for a template without a builder;
 *   `mail_invalid` (permanent) when the data cannot be built; `documents_pending` (retryable)
 *   while the result's documents have no number yet.
 */
export async function buildMailData(props: BuildMailDataProps): Promise<Record<string, unknown>> {
  const build = Object.hasOwn(MAIL_DATA_BUILDERS, props.template) ? MAIL_DATA_BUILDERS[props.template] : undefined;
  if (!build)
    throw new EffectError(`no data builder for mail template "${props.template}"`, true, "mail_unknown_template");
  return build(await createMailContext(props));
}
