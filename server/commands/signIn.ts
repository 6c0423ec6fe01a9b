/** Signs in with e-mail and password: checks them and starts a session (POST /api/v1/auth/login). */
import type { RuntimeDeps } from "../runtime/applyEvent.js";
import { authenticateUser } from "../queries/authenticateUser.js";
import { startSession } from "./startSession.js";

/**
 * The user and their new session.
 * @throws UnauthenticatedError unauthenticated for wrong credentials
 */
export async function signIn(deps: RuntimeDeps, props: { email: string; password: string; organization?: string }) {
  const user = await authenticateUser(deps, props);
  const session = await startSession(deps, { user });
  return { user, session };
}
