import { ownUsageQuery, usageOutput, usageQuery, type UsageQuery } from '@mlapi/schemas';
import type { Context } from '../../core/context.ts';
import { computeUsage } from './usage-analytics.ts';
import { ownCallsOnly } from '../access/policy.ts';
import { usageFilter } from './usage-window.ts';
import { adminProcedure, apiKeyAllowedProcedure, router } from '../../core/procedures.ts';

async function usageReport(ctx: Context, q: UsageQuery) {
  const report = await computeUsage(ctx.deps.data.usage, usageFilter(q, ctx.deps.now()));
  return { ...report, user_id: q.user_id ?? null, service: q.service ?? null };
}

const summary = 'totals, success rate, by service, hour of day and weekday, per day, latency percentiles, top users';

export const analyticsRouter = router({
  /** Every call (or one user's, one service's) in a window. */
  usage: adminProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/admin/analytics/usage',
        tags: ['analytics'],
        summary: `Usage of the services: ${summary}`,
      },
    })
    .input(usageQuery)
    .output(usageOutput)
    .query(({ ctx, input }) => usageReport(ctx, input)),

  /** The same over the caller's own calls. */
  mine: apiKeyAllowedProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/user/usage',
        tags: ['user', 'analytics'],
        summary: `Your own usage: ${summary}`,
      },
    })
    .input(ownUsageQuery)
    .output(usageOutput)
    .query(({ ctx, input }) => usageReport(ctx, ownCallsOnly(ctx.user, input))),
});
