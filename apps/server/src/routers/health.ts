import { healthSchema } from '@mlapi/schemas';
import { z } from 'zod';
import { databaseReachable } from '../http/ops-endpoints.ts';
import { publicProcedure, router } from '../trpc.ts';

export const healthRouter = router({
  check: publicProcedure
    .meta({ openapi: { method: 'GET', path: '/healthcheck', tags: ['health'], summary: 'Is the server up?' } })
    .input(z.void())
    .output(healthSchema)
    .query(async ({ ctx }) => {
      const database = await databaseReachable(ctx.deps);
      return { status: database ? ('ok' as const) : ('degraded' as const), database, models: ctx.deps.models.allLoaded() };
    }),
});
