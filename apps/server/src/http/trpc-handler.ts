import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { createContextInner } from '../context.ts';
import type { AppDeps } from '../deps.ts';
import type { AppRouter } from '../routers/root.ts';

/** tRPC (superjson) at /trpc, with the same context, middleware and body limit as REST. */
export function createTrpcHandler(router: AppRouter, deps: AppDeps) {
  const handler = createHTTPHandler({
    router,
    basePath: '/trpc/',
    maxBodySize: deps.env.MAX_BODY_BYTES,
    createContext: ({ req }) => createContextInner(deps, req.headers.authorization, (req as { requestId?: string }).requestId),
    onError: ({ error, path, ctx }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') deps.logger.error({ path, requestId: ctx?.requestId, err: error.cause ?? error }, 'internal error');
    },
  });
  return (req: IncomingMessage, res: ServerResponse, requestId: string) => {
    (req as { requestId?: string }).requestId = requestId;
    return handler(req, res);
  };
}
