/** What the page behind an invitation link shows: the invitation, the expert, the assignment, who ordered it. */
import { eq } from "drizzle-orm";
import type { Db } from "../db/connect.js";
import { agencies, assignments, dossierFiles, organizations } from "../db/schema.js";
import { checkLink, loadLinkedInvitation, type LinkClaim } from "./checkLink.js";

/**
 * Checks the link (see checkLink) and loads what the answer page shows.
 * @throws the link errors of checkLink and loadLinkedInvitation
 */
export async function loadInvitationLink(deps: { db: Db; linkSecret: string; now: Date }, token: unknown) {
  const claim: LinkClaim = await checkLink(deps, token, "invitation");
  const { invitation, expert } = await loadLinkedInvitation(deps.db, claim);
  const { db } = deps;
  const [assignment] = await db.select().from(assignments).where(eq(assignments.id, invitation.assignmentId));
  const [organization] = await db.select().from(organizations).where(eq(organizations.id, invitation.organizationId));
  const [agency] = assignment?.agencyId
    ? await db.select().from(agencies).where(eq(agencies.id, assignment.agencyId))
    : [];
  // The dossier as the invited expert may see it before answering: names, kinds and sizes only.
  const files = await db
    .select({
      fileName: dossierFiles.fileName,
      kind: dossierFiles.kind,
      size: dossierFiles.size,
      confidential: dossierFiles.confidential,
    })
    .from(dossierFiles)
    .where(eq(dossierFiles.assignmentId, invitation.assignmentId));
  return { claim, invitation, expert, assignment, organization, agency, files };
}

/** Everything the invitation page is built from. */
export type InvitationLinkView = Awaited<ReturnType<typeof loadInvitationLink>>;
