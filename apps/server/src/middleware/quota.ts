import type { IUser } from '@mlapi/db';
import type { ServiceVersion } from '@mlapi/ml';
import { t } from '../init.ts';
import { hit } from '../services/rate-limit-store.ts';
import { tooManyRequests } from '../services/too-many-requests.ts';

const minute = 60_000;
const day = 24 * 60 * minute;

/**
 * Per user and service: calls per minute and per day (the user's own limits, else the server defaults; 0 means
 * unlimited), counted in the database so every replica shares them. Over a limit → 429 with Retry-After.
 */
export const enforceQuota = (version: ServiceVersion) =>
  t.middleware(async ({ ctx, next }) => {
    const { user } = ctx as typeof ctx & { user: IUser };
    const { env } = ctx.deps;
    const now = ctx.deps.now().getTime();
    const limits = [
      { name: 'minute', windowMs: minute, limit: user.callsPerMinute ?? env.DEFAULT_CALLS_PER_MINUTE },
      { name: 'day', windowMs: day, limit: user.callsPerDay ?? env.DEFAULT_CALLS_PER_DAY },
    ];
    for (const { name, windowMs, limit } of limits) {
      if (!limit) continue;
      const window = Math.floor(now / windowMs);
      const counted = await hit(ctx.em, `quota:${version}:${user.id}:${name}:${window}`, windowMs, now);
      if (counted.points > limit) throw tooManyRequests(`Quota exceeded: ${limit} calls per ${name} to ${version}`, (window + 1) * windowMs, now);
    }
    return next();
  });
