import { healthSchema } from '@mlapi/schemas';
import { z } from 'zod';
import { publicProcedure, router } from '../../core/procedures.ts';

export const healthRouter = router({
  check: publicProcedure
    .meta({ openapi: { method: 'GET', path: '/healthcheck', tags: ['health'], summary: 'Is the server up?' } })
    .input(z.void())
    .output(healthSchema)
    .query(async ({ ctx }) => {
      const database = await ctx.deps.data.health.reachable();
      return {
        status: database ? ('ok' as const) : ('degraded' as const),
        database,
        models: ctx.deps.models.allLoaded(),
      };
    }),
});
