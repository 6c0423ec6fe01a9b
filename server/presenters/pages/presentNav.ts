/** The main navigation of the web UI: the items the actor's roles may open, the current one marked. */
import type { Actor } from "../../runtime/actor.js";
import { mayUse, type PageTool } from "../../policies/pagePolicy.js";

const NAV: Array<{ href: string; key: string; page: PageTool }> = [
  { href: "/", key: "nav.dashboard", page: "dashboard" },
  { href: "/assignments", key: "nav.assignments", page: "assignments" },
  { href: "/queue", key: "nav.queue", page: "queue" },
  { href: "/assignments/new", key: "nav.newOrder", page: "newOrder" },
  { href: "/invitations", key: "nav.invitations", page: "invitations" },
  { href: "/approvals", key: "nav.approvals", page: "approvals" },
  { href: "/registers", key: "nav.registers", page: "registers" },
  { href: "/plans", key: "nav.plans", page: "plans" },
  { href: "/money/payments", key: "nav.payments", page: "payments" },
  { href: "/money/rates", key: "nav.rates", page: "rates" },
  { href: "/money/mine", key: "nav.myPayments", page: "myPayments" },
  { href: "/admin/users", key: "nav.users", page: "users" },
  { href: "/admin/experts", key: "nav.experts", page: "experts" },
  { href: "/admin/associations", key: "nav.associations", page: "associations" },
  { href: "/admin/settings", key: "nav.settings", page: "settings" },
  { href: "/admin/documents", key: "nav.documentSettings", page: "documentSettings" },
];

/** The navigation the actor sees on `path` (none when nobody is signed in); `key` is a catalogue key. */
export function presentNav(actor: Actor | undefined, path: string) {
  if (!actor) return [];
  const items = NAV.filter((n) => mayUse(actor, n.page));
  const current = items
    .filter((n) => (n.href === "/" ? path === "/" : path === n.href || path.startsWith(n.href + "/")))
    .sort((a, b) => b.href.length - a.href.length)[0];
  return items.map((n) => ({ href: n.href, key: n.key, current: n === current }));
}
