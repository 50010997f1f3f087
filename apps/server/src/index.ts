export type { AppRouter } from './routers/root.ts';
export { appRouter } from './routers/root.ts';
export { startServer, type RunningServer } from './app.ts';
export { loadEnv, type Env } from './env.ts';
