export type { AppRouter } from './app-router.ts';
export { appRouter } from './app-router.ts';
export { startServer, type RunningServer } from './app.ts';
export { loadEnv, type Env } from './core/env.ts';
