/**
 * The records the machines ask for — deadlines, invitations, numbered documents, recommendations
 * and responses — as one table of action handlers, installed into the engine at boot
 * (server/server.ts). Each handler runs inside the transaction that saved the snapshot.
 */
import type { ActionHandler } from "../runtime/handlers.js";
import { deadlineActions } from "./deadlineActions.js";
import { documentActions } from "./documentActions.js";
import { invitationActions } from "./invitationActions.js";
import { recommendationActions } from "./recommendationActions.js";

/** Every machine action the records room handles, by name. */
export const recordActions: Record<string, ActionHandler> = {
  ...deadlineActions,
  ...invitationActions,
  ...documentActions,
  ...recommendationActions,
};
