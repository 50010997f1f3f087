import type { UserRecord } from '@mlapi/db';
import type { ServiceVersion } from '@mlapi/schemas';
import type { Context } from '../../core/context.ts';
import { tooManyRequests } from '../../core/too-many-requests.ts';

const minute = 60_000;
const day = 24 * 60 * minute;

/**
 * Counts one call of this user to this service against their quotas: calls per minute and per day (the user's own
 * limits, else the server defaults; 0 means unlimited), counted in the database so every replica shares them.
 * Over a limit → 429 with Retry-After.
 */
export async function chargeQuota(ctx: Context, user: UserRecord, version: ServiceVersion): Promise<void> {
  const { env } = ctx.deps;
  const now = ctx.deps.now().getTime();
  const limits = [
    { name: 'minute', windowMs: minute, limit: user.callsPerMinute ?? env.DEFAULT_CALLS_PER_MINUTE },
    { name: 'day', windowMs: day, limit: user.callsPerDay ?? env.DEFAULT_CALLS_PER_DAY },
  ];
  const active = limits
    .filter((l) => l.limit)
    .map((l) => {
      const window = Math.floor(now / l.windowMs);
      return { ...l, window, key: `quota:${version}:${user.id}:${l.name}:${window}` };
    });
  if (active.length === 0) return;
  // Both windows counted in one statement (one round trip and one commit per call, not two).
  const counted = await ctx.deps.data.rateLimits.hitMany(active, now);
  active.forEach(({ name, windowMs, limit, window }, i) => {
    if (counted[i]!.points > limit)
      throw tooManyRequests(`Quota exceeded: ${limit} calls per ${name} to ${version}`, (window + 1) * windowMs, now);
  });
}
