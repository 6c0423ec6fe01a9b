/**
 * The small standalone pages of the link flows (answer an invitation, sign in with a link) and of
 * the demo outbox, rendered by the one view engine (templates/links inside its layout.hbs).
 * Bilingual (Vietnamese, then English), inline CSS, no scripts. Everything is HTML-escaped.
 */
import { renderView } from "./viewEngine.js";

export type LinkPageName = "invitation" | "message" | "signin" | "outbox" | "outboxMessage";

export type LinkPages = {
  /** Renders a page; `title` and `orgName` go to the layout. Throws Error for an unknown page. */
  render(
    name: LinkPageName,
    data: Record<string, unknown> & { title: string; orgName?: string; wide?: boolean },
  ): string;
};

/** The organisation named in the header when the page does not know which one it is. */
const UNION = "Liên hiệp các Hội Khoa học và Kỹ thuật";

/** The link pages (routes receive them as a dependency, so a test could render its own). */
export const linkPages: LinkPages = {
  render(name, data) {
    return renderView("links", name, { ...data, orgName: data.orgName ?? UNION });
  },
};
