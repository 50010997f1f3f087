import { models, serviceVersions } from '@mlapi/ml';
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
      const loaded = Object.fromEntries(serviceVersions.map((v) => [v, models[v].isLoaded()]));
      return { status: database ? ('ok' as const) : ('degraded' as const), database, models: loaded };
    }),
});
