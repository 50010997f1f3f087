import { models, type ModelRegistry } from '@mlapi/ml';
import { router } from './core/procedures.ts';
import { adminRouter } from './features/users/admin-router.ts';
import { authRouter } from './features/auth/router.ts';
import { healthRouter } from './features/ops/router.ts';
import { createMlRouter } from './features/ml/router.ts';
import { modelsRouter } from './features/models/router.ts';
import { userRouter } from './features/users/router.ts';
import { apiKeysRouter } from './features/api-keys/router.ts';
import { analyticsRouter } from './features/analytics/router.ts';
import { datasetsRouter } from './features/datasets/router.ts';
import { retrainingRouter } from './features/retraining/router.ts';

/** The whole API, its model services validated by the models served at start-up (the built-in ones by default). */
export const createAppRouter = (served: ModelRegistry = models) =>
  router({
    auth: authRouter,
    user: userRouter,
    apiKeys: apiKeysRouter,
    admin: adminRouter,
    ml: createMlRouter(served),
    models: modelsRouter,
    datasets: datasetsRouter,
    retraining: retrainingRouter,
    health: healthRouter,
    analytics: analyticsRouter,
  });

export const appRouter = createAppRouter();
export type AppRouter = typeof appRouter;
