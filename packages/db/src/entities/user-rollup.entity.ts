import { defineEntity, p } from '@mikro-orm/core';
import { serviceVersions } from '@mlapi/schemas';
import { User } from './user.entity.ts';

/**
 * Each user's calls per 15-minute bucket × service, written with the calls: counts only (latency is kept per
 * service in call_rollups). Removed with the user, as their calls lose their owner.
 */
export const UserRollup = defineEntity({
  name: 'UserRollup',
  tableName: 'user_rollups',
  properties: {
    owner: () => p.manyToOne(User).primary().deleteRule('cascade'),
    bucket: p.integer().primary().index(),
    serviceVersion: p.enum([...serviceVersions]).primary(),
    calls: p.integer(),
    failures: p.integer(),
  },
});
