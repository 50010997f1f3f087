import { createHash } from 'node:crypto';
import type { RateLimitsRepository } from '@mlapi/db';
import type { Env } from '../../core/env.ts';
import { tooManyRequests } from '../../core/too-many-requests.ts';

/** What a reserved password check settles into: a success clears the username's failures, a failure stays counted. */
export interface PasswordAttempt {
  succeeded(): Promise<void>;
}

/**
 * Failed password checks (login, and the current password of a password change) are counted per username and per
 * client address in a shared fixed window. Each attempt is counted atomically BEFORE the password is checked (one
 * upsert that returns the new counts), so concurrent attempts cannot all slip under the limit: of 30 parallel
 * guesses against a limit of 10, exactly 10 get a password check and 20 a 429 with Retry-After. A success gives
 * its reservation back and clears the username's count.
 */
export class LoginThrottle {
  constructor(
    private readonly env: Env,
    private readonly counters: RateLimitsRepository,
  ) {}

  /** The counters of an attempt. The username is hashed: any input, however long, makes a key that fits the column. */
  private keys(username: string, ip: string | undefined) {
    const windowMs = this.env.LOGIN_WINDOW_MINUTES * 60_000;
    const user = createHash('sha256').update(username).digest('base64url');
    return [
      { kind: 'user', key: `login:user:${user}`, limit: this.env.LOGIN_MAX_FAILURES_PER_USERNAME, windowMs },
      {
        kind: 'ip',
        key: `login:ip:${ip ?? 'unknown'}`.slice(0, 200),
        limit: this.env.LOGIN_MAX_FAILURES_PER_IP,
        windowMs,
      },
    ].filter((k) => k.limit > 0);
  }

  /** Counts one attempt for this username and client; 429 when either is past its limit (the password is then not checked). */
  async reserve(username: string, ip: string | undefined, now: number): Promise<PasswordAttempt> {
    const keys = this.keys(username, ip);
    const windows = await this.counters.hitMany(keys, now);
    const over = windows.findIndex((w, i) => w.points > keys[i]!.limit);
    if (over >= 0) throw tooManyRequests('Too many failed password attempts', windows[over]!.expire, now);
    return {
      succeeded: async () => {
        for (const { kind, key } of keys)
          await (kind === 'user' ? this.counters.reset(key) : this.counters.refund(key, now));
      },
    };
  }
}
