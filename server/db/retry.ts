/**
 * Retrying a database write through a short outage (a PostgreSQL restart): used where giving up
 * would lose what a worker already knows — that an effect is done, that the SMTP server accepted a
 * message. Only failures `isDatabaseUnavailable` recognises are retried.
 */
import { isDatabaseUnavailable } from "../errors.js";

/** How long to keep trying by default: longer than a restart, shorter than an effect's lease. */
export const RETRY_UNAVAILABLE_MS = 20_000;

/**
 * Runs `fn`, and again after 100 ms, 200 ms … (at most 2 s apart) while it fails because the
 * database is unavailable, for up to `giveUpMs`.
 * @throws the last error once `giveUpMs` has passed, and any other error at once.
 */
export async function retryWhileUnavailable<T>(
  fn: () => Promise<T>,
  opts: { giveUpMs?: number; onRetry?: (err: unknown) => void } = {},
): Promise<T> {
  const until = Date.now() + (opts.giveUpMs ?? RETRY_UNAVAILABLE_MS);
  for (let delay = 100; ; delay = Math.min(2 * delay, 2000)) {
    try {
      return await fn();
    } catch (err) {
      if (!isDatabaseUnavailable(err) || Date.now() + delay > until) throw err;
      opts.onRetry?.(err);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
