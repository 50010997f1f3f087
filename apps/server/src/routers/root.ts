import { models, type ModelRegistry } from '@mlapi/ml';
import { router } from '../trpc.ts';
import { adminRouter } from './admin.ts';
import { authRouter } from './auth.ts';
import { healthRouter } from './health.ts';
import { createMlRouter } from './ml.ts';
import { modelsRouter } from './models.ts';
import { userRouter } from './user.ts';
import { apiKeysRouter } from './api-keys.ts';
import { analyticsRouter } from './analytics.ts';

/** The whole API, its model services validated by the models served at start-up (the built-in ones by default). */
export const createAppRouter = (served: ModelRegistry = models) =>
  router({
    auth: authRouter,
    user: userRouter,
    apiKeys: apiKeysRouter,
    admin: adminRouter,
    ml: createMlRouter(served),
    models: modelsRouter,
    health: healthRouter,
    analytics: analyticsRouter,
  });

export const appRouter = createAppRouter();
export type AppRouter = typeof appRouter;
