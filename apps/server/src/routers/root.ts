import { router } from '../trpc.ts';
import { adminRouter } from './admin.ts';
import { authRouter } from './auth.ts';
import { healthRouter } from './health.ts';
import { mlRouter } from './ml.ts';
import { userRouter } from './user.ts';
import { apiKeysRouter } from './api-keys.ts';
import { analyticsRouter } from './analytics.ts';

export const appRouter = router({
  auth: authRouter,
  user: userRouter,
  apiKeys: apiKeysRouter,
  admin: adminRouter,
  ml: mlRouter,
  health: healthRouter,
  analytics: analyticsRouter,
});

export type AppRouter = typeof appRouter;
