import { defineEntity, p } from '@mikro-orm/core';

/** Fixed-window counters shared by every replica: quotas and login throttling. `expire` is epoch milliseconds. */
export const RateLimitCounter = defineEntity({
  name: 'RateLimitCounter',
  tableName: 'rate_limits',
  properties: {
    key: p.string().length(255).primary(),
    points: p.integer().default(0),
    expire: p.bigint('number').index(),
  },
});
