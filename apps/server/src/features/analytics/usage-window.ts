import { snapWindow } from '@mlapi/db';
import { defaultUsageDays, maxUsageDays, type UsageQuery } from '@mlapi/schemas';
import { invalidField } from '../../core/errors.ts';
import type { UsageFilter } from './usage-analytics.ts';

const dayMs = 86_400_000;

/**
 * The window and filters of a usage query: `to` defaults to now, `from` to 30 days before `to`, at most 366 days;
 * then widened to whole 15-minute buckets, the rollups' grain (the reply says which window it used).
 */
export function usageFilter(q: UsageQuery, now: Date): UsageFilter {
  const to = q.to ? new Date(q.to) : now;
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - defaultUsageDays * dayMs);
  if (from >= to) throw invalidField('from', 'from must be before to', q.from);
  if (to.getTime() - from.getTime() > maxUsageDays * dayMs)
    throw invalidField('from', `the window may cover at most ${maxUsageDays} days`, q.from);
  const used = snapWindow(from, to);
  return { from: used.from, to: used.to, tz: q.tz ?? 'UTC', userId: q.user_id, service: q.service };
}
