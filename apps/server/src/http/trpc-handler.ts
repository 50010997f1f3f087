import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { createContextInner } from '../context.ts';
import type { AppDeps } from '../deps.ts';
import type { AppRouter } from '../routers/root.ts';

/** tRPC (superjson) at /trpc, with the same context, middleware and body limit as REST. */
export function createTrpcHandler(router: AppRouter, deps: AppDeps) {
  return createHTTPHandler({
    router,
    basePath: '/trpc/',
    maxBodySize: deps.env.MAX_BODY_BYTES,
    createContext: ({ req }) => createContextInner(deps, req.headers.authorization),
    onError: ({ error, path }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') deps.logger.error('internal error', { path, error: String(error.cause ?? error) });
    },
  });
}
