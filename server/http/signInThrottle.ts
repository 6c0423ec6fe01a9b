/**
 * Sign-in throttling as OWASP's Authentication and Credential Stuffing cheat sheets ask: one
 * throttle per app, shared by the JSON API (`POST /api/v1/auth/login`) and the sign-in page, that
 * counts failed attempts
 *
 * - per client address and account (a password guessed at one account),
 * - per client address (many accounts tried from one address),
 * - per account, from any address (a distributed guess at one account),
 * - per client address and password (one password tried across many accounts: credential stuffing;
 *   the password is kept only as an HMAC under a random key of this process),
 *
 * and answers with a growing delay once a key is over its free attempts (doubling, capped), never a
 * lock-out. The owner is not locked out by someone else's failures: an address from which the
 * account signed in successfully before is not held back by the account's own counter (only by
 * its own failures), and the account's cap is short. Counters are forgotten `forgetMs` after a key's
 * last failure. In memory: one process's view (a second process has its own).
 */
import { createHmac, randomBytes } from "node:crypto";
import type { Clock } from "../runtime/clock.js";

/** How many failures a kind of key gets for free, the first delay after them and the longest delay. */
export type ThrottleRule = { free: number; baseMs: number; maxMs: number };

export type ThrottlePolicy = {
  pair: ThrottleRule;
  address: ThrottleRule;
  account: ThrottleRule;
  /** Distinct accounts one password may fail on from one address before that address is slowed. */
  password: ThrottleRule;
  /** A key is forgotten this long after its last failure. */
  forgetMs: number;
};

/** The defaults: a person who mistypes a few times never waits; a script waits longer and longer. */
export const DEFAULT_THROTTLE_POLICY: ThrottlePolicy = {
  pair: { free: 5, baseMs: 1_000, maxMs: 15 * 60_000 },
  address: { free: 20, baseMs: 1_000, maxMs: 15 * 60_000 },
  account: { free: 10, baseMs: 1_000, maxMs: 60_000 },
  password: { free: 3, baseMs: 2_000, maxMs: 15 * 60_000 },
  forgetMs: 60 * 60_000,
};

/** One sign-in attempt: where from, which account, which password. */
export type Attempt = { address: string | undefined; account: string; password: string };

type Entry = { failures: number; until: number; last: number; accounts?: Set<string> };

const MAX_KEYS = 50_000;

/** An attempt's address and account, and its keys: the pair, and the address with the password's keyed hash. */
function attemptKeys(secret: Buffer, a: Attempt) {
  const address = a.address ?? "unknown";
  const account = a.account.trim().toLowerCase();
  const pw = createHmac("sha256", secret).update(a.password).digest("base64url");
  return { address, account, pairKey: `p|${address}|${account}`, pwKey: `w|${address}|${pw}` };
}

/** Builds the throttle (one per app). `clock` is injected so tests move time by hand. */
export function createSignInThrottle(opts: { clock: Clock; policy?: Partial<ThrottlePolicy> }) {
  const policy = { ...DEFAULT_THROTTLE_POLICY, ...opts.policy };
  const entries = new Map<string, Entry>();
  const trusted = new Map<string, number>();
  const secret = randomBytes(32);
  const now = () => opts.clock.now().getTime();
  const keysOf = (a: Attempt) => attemptKeys(secret, a);
  const live = (key: string, t: number) => {
    const e = entries.get(key);
    if (e && t - e.last > policy.forgetMs) entries.delete(key);
    return entries.get(key);
  };
  const fail = (key: string, rule: ThrottleRule, t: number, count = true) => {
    const e = live(key, t) ?? { failures: 0, until: 0, last: t };
    if (count) e.failures += 1;
    e.last = t;
    const over = (e.accounts ? e.accounts.size : e.failures) - rule.free;
    if (over > 0) e.until = t + Math.min(rule.maxMs, rule.baseMs * 2 ** Math.min(over - 1, 30));
    entries.set(key, e);
    return e;
  };
  const prune = () => {
    if (entries.size <= MAX_KEYS && trusted.size <= MAX_KEYS) return;
    const t = now();
    for (const [k, e] of entries) if (t - e.last > policy.forgetMs || entries.size > MAX_KEYS) entries.delete(k);
    for (const [k, at] of trusted) if (t - at > 30 * 24 * 3600_000 || trusted.size > MAX_KEYS) trusted.delete(k);
  };
  return {
    /** Milliseconds to wait before this attempt may be checked (0: go ahead). */
    waitMs(a: Attempt): number {
      const t = now();
      const k = keysOf(a);
      const keys = [k.pairKey, `a|${k.address}`, k.pwKey];
      if (!trusted.has(k.pairKey)) keys.push(`u|${k.account}`);
      return Math.max(0, ...keys.map((key) => (live(key, t)?.until ?? 0) - t));
    },
    /** Records a wrong password (or unknown account). */
    failed(a: Attempt): void {
      const t = now();
      const k = keysOf(a);
      fail(k.pairKey, policy.pair, t);
      fail(`a|${k.address}`, policy.address, t);
      fail(`u|${k.account}`, policy.account, t);
      const pw = live(k.pwKey, t) ?? { failures: 0, until: 0, last: t, accounts: new Set<string>() };
      pw.accounts!.add(k.account);
      entries.set(k.pwKey, pw);
      fail(k.pwKey, policy.password, t);
      prune();
    },
    /** Records a success: the pair is cleared and trusted; the account's own counter is cleared too. */
    succeeded(a: Attempt): void {
      const k = keysOf(a);
      entries.delete(k.pairKey);
      entries.delete(`u|${k.account}`);
      trusted.set(k.pairKey, now());
      prune();
    },
  };
}

/** The throttle's type, as the faces receive it. */
export type SignInThrottle = ReturnType<typeof createSignInThrottle>;
