import { defineEntity, p } from '@mikro-orm/core';
import { serviceVersions } from '@mlapi/schemas';
import { User } from './user.entity.ts';

/** A user's calls and failures per service in one period (`bucket` or `day`), keyed by owner, period and service. */
const userCounts = <Period extends string>(period: Period) =>
  ({
    owner: () => p.manyToOne(User).primary().deleteRule('cascade'),
    [period]: p.integer().primary(),
    serviceVersion: p.enum([...serviceVersions]).primary(),
    calls: p.integer(),
    failures: p.integer(),
  }) as const;

/**
 * Each user's calls per 15-minute bucket × service, written with the calls: counts only (latency is kept per
 * service in call_rollups). Removed with the user, as their calls lose their owner. The index on (bucket, …) holds
 * every column the top-users read needs, so the edges of its window are read from the index alone.
 */
export const UserRollup = defineEntity({
  name: 'UserRollup',
  tableName: 'user_rollups',
  properties: userCounts('bucket'),
  indexes: [{ name: 'user_rollups_bucket_index', properties: ['bucket', 'serviceVersion', 'owner', 'calls'] }],
});

/**
 * user_rollups summed per UTC day (96 buckets), written with them: the top users of a month read 30 rows per user
 * and service here, and only the partial days at the window's edges from user_rollups.
 */
export const UserDayRollup = defineEntity({
  name: 'UserDayRollup',
  tableName: 'user_day_rollups',
  properties: userCounts('day'),
  indexes: [{ name: 'user_day_rollups_day_index', properties: ['day', 'serviceVersion', 'owner', 'calls'] }],
});
