import { defineEntity, p } from '@mikro-orm/core';

/**
 * Fixed-window counters shared by every replica: quotas and login throttling. `expire` is epoch milliseconds. For a
 * quota window `points` is what the replicas' leases have reserved, `quota` the limit the last reservation was made
 * under and `granted` what that reservation got (a PostgreSQL RETURNING shows only the new row).
 */
export const RateLimitCounter = defineEntity({
  name: 'RateLimitCounter',
  tableName: 'rate_limits',
  properties: {
    key: p.string().length(255).primary(),
    points: p.integer().default(0),
    expire: p.bigint('number').index(),
    granted: p.integer().default(0),
    quota: p.integer().default(0),
  },
});
