import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { createContextInner, requestInfo } from '../../core/context.ts';
import type { AppDeps } from '../../core/deps.ts';
import type { AppRouter } from '../../app-router.ts';
import { apiReplyHeaders } from '../api-reply-headers.ts';
import { errorHeaders, noteError } from '../error-reply.ts';

/**
 * tRPC's own node adapter at /trpc, with the same context, middleware and body limit as REST. Production uses the
 * lean binding (trpc-handler.ts); this one stays as the benchmark's reference (`TRPC_BINDING=stock`), and serves
 * the request kinds the lean binding leaves to it (streaming, form data, binary bodies).
 */
export function createStockTrpcHandler(router: AppRouter, deps: AppDeps) {
  // tRPC sets its own Vary on the reply, replacing the `Vary: Origin` of cors.ts: add Origin back when CORS is on.
  const vary = deps.env.CORS_ORIGINS.length > 0 ? { vary: ['Origin'] } : {};
  const handler = createHTTPHandler({
    router,
    basePath: '/trpc/',
    maxBodySize: deps.env.MAX_BODY_BYTES,
    createContext: ({ req }) =>
      createContextInner(
        deps,
        requestInfo(req, (req as { requestId?: string }).requestId ?? '', deps.env.TRUSTED_PROXIES),
      ),
    // Every reply never cached (api-reply-headers.ts); an error's headers as on every binding (error-reply.ts).
    responseMeta: ({ errors }) => ({ headers: { ...apiReplyHeaders, ...vary, ...errorHeaders(errors) } }),
    onError: ({ error, path, ctx }) => void noteError(deps.logger, error, { path, requestId: ctx?.request.requestId }),
  });
  return (req: IncomingMessage, res: ServerResponse, requestId: string) => {
    (req as { requestId?: string }).requestId = requestId;
    return handler(req, res);
  };
}
