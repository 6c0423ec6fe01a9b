/** Who may open which page: the checks the pages call and the navigation built from the same table. */
import { expect } from "chai";
import { authorizePage, mayUse, requireExpert, statesWaitingOn } from "../../server/policies/pagePolicy.js";
import { presentNav } from "../../server/presenters/pages/presentNav.js";
import { ForbiddenError } from "../../server/errors.js";
import type { Actor, Role } from "../../server/runtime/actor.js";

const actor = (...roles: Role[]): Actor => ({
  kind: "user",
  id: "u",
  organizationId: "o",
  name: "N",
  roles,
  agencyId: null,
  expertId: roles.includes("expert") ? "e" : null,
  locale: "vi",
});

describe("page policy", () => {
  it("lets only administrators manage users and settings, and the secretariat the expert registry", () => {
    expect(mayUse(actor("admin"), "users")).to.equal(true);
    expect(mayUse(actor("secretariat"), "users")).to.equal(false);
    expect(mayUse(actor("secretariat"), "experts")).to.equal(true);
    expect(() => authorizePage(actor("agency"), "settings")).to.throw(ForbiddenError);
    expect(() => authorizePage(actor("clerk"), "registers")).to.not.throw();
  });

  it("refuses the opinion form to someone who is not an expert", () => {
    expect(requireExpert(actor("expert"))).to.equal("e");
    expect(() => requireExpert(actor("secretariat"))).to.throw(ForbiddenError);
  });

  it("lists the states that wait on the actor's roles, never the experts' ones", () => {
    expect(statesWaitingOn(actor("clerk"))).to.include.members(["ordered", "issuing"]);
    expect(statesWaitingOn(actor("expert"))).to.deep.equal([]);
  });

  it("shows each role only the navigation it may open, with the current page marked", () => {
    const hrefs = (roles: Role[]) => presentNav(actor(...roles), "/").map((n) => n.href);
    expect(hrefs(["agency"])).to.deep.equal(["/", "/assignments", "/assignments/new", "/plans"]);
    expect(hrefs(["association"])).to.deep.equal(["/", "/plans"]);
    expect(hrefs(["accountant"])).to.include.members(["/plans", "/money/payments", "/money/rates"]);
    expect(hrefs(["expert"]))
      .to.include("/money/mine")
      .and.not.include("/money/payments");
    expect(hrefs(["admin"])).to.include.members(["/admin/users", "/admin/settings", "/admin/documents"]);
    expect(hrefs(["expert"]))
      .to.include("/invitations")
      .and.not.include("/queue");
    const nav = presentNav(actor("secretariat"), "/assignments/new");
    expect(nav.filter((n) => n.current).map((n) => n.href)).to.deep.equal(["/assignments/new"]);
    expect(presentNav(undefined, "/")).to.deep.equal([]);
  });
});
