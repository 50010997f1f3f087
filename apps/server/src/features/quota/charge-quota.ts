import type { UserRecord } from '@mlapi/db';
import type { ServiceVersion } from '@mlapi/schemas';
import type { Context } from '../../core/context.ts';
import { tooManyRequests } from '../../core/too-many-requests.ts';

const minute = 60_000;
const day = 24 * 60 * minute;

/**
 * Counts one call of this user to this service against their quotas: calls per fixed UTC minute and day (the user's
 * own limits, else the server defaults; 0 means unlimited). The units come from this process's leases
 * (features/quota/quota-leases.ts), reserved in the database so that all replicas together never admit more than
 * the limit. Over a limit → 429 with Retry-After (the window's end).
 */
export async function chargeQuota(ctx: Context, user: UserRecord, version: ServiceVersion): Promise<void> {
  const { env } = ctx.deps;
  const now = ctx.deps.now().getTime();
  const windows = [
    { name: 'minute', windowMs: minute, limit: user.callsPerMinute ?? env.DEFAULT_CALLS_PER_MINUTE },
    { name: 'day', windowMs: day, limit: user.callsPerDay ?? env.DEFAULT_CALLS_PER_DAY },
  ]
    .filter((w) => w.limit)
    .map((w) => {
      const index = Math.floor(now / w.windowMs);
      return { ...w, key: `quota:${version}:${user.id}:${w.name}:${index}`, end: (index + 1) * w.windowMs };
    });
  if (windows.length === 0) return;
  const refused = await ctx.deps.quotaLeases.charge(windows);
  if (refused) {
    const { name, limit, end } = windows.find((w) => w.key === refused.key)!;
    throw tooManyRequests(`Quota exceeded: ${limit} calls per ${name} to ${version}`, end, now);
  }
}
