import type { Em } from '@mlapi/db';
import type { Env } from '../env.ts';
import { hit, peek, reset } from './rate-limit-store.ts';
import { tooManyRequests } from './too-many-requests.ts';

/**
 * Failed logins are counted per username and per client address in a shared window; past either limit, login
 * answers 429 (with Retry-After) before checking the password. A success clears the username's count.
 */
export class LoginThrottle {
  constructor(private readonly env: Env) {}

  private keys(username: string, ip: string | undefined) {
    const windowMs = this.env.LOGIN_WINDOW_MINUTES * 60_000;
    return [
      { key: `login:user:${username}`, limit: this.env.LOGIN_MAX_FAILURES_PER_USERNAME, windowMs },
      { key: `login:ip:${ip ?? 'unknown'}`, limit: this.env.LOGIN_MAX_FAILURES_PER_IP, windowMs },
    ].filter((k) => k.limit > 0);
  }

  async assertAllowed(em: Em, username: string, ip: string | undefined, now: number): Promise<void> {
    for (const { key, limit } of this.keys(username, ip)) {
      const window = await peek(em, key, now);
      if (window.points >= limit) throw tooManyRequests('Too many failed logins', window.expire, now);
    }
  }

  async recordFailure(em: Em, username: string, ip: string | undefined, now: number): Promise<void> {
    for (const { key, windowMs } of this.keys(username, ip)) await hit(em, key, windowMs, now);
  }

  recordSuccess(em: Em, username: string): Promise<void> {
    return reset(em, `login:user:${username}`);
  }
}
