import type { IncomingMessage, ServerResponse } from 'node:http';
import { getTRPCErrorFromUnknown, TRPCError } from '@trpc/server';
import { createContextInner, requestInfo } from '../../core/context.ts';
import type { AppDeps } from '../../core/deps.ts';
import type { AppRouter } from '../../app-router.ts';
import { noteError, sendRestError } from '../error-reply.ts';
import { parseBody, readBody } from '../read-body.ts';
import { sendJson } from '../send-json.ts';
import { matchRoute, restRoutes } from './rest-routes.ts';

const bodyMethods = new Set(['POST', 'PUT', 'PATCH']);

/** Query parameters as an object; a repeated key becomes an array. */
function queryObject(search: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of search) {
    const prev = out[key];
    out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

/**
 * REST on the original template's paths: each route (from the procedures' `openapi` metadata, the same that
 * builds /openapi.json) calls its procedure as `createCaller` does — same middleware, same zod schemas, no coercion
 * added behind the schemas' back — but with its input read lazily, as tRPC's own adapters do: the body is read when
 * the input validator asks, after the procedure's authorization, so a refused call never reads it (what lets a model
 * upload's larger limit, MAX_UPLOAD_BYTES, apply to admins only). Bodies are JSON or, for `/auth/token`, the OAuth2
 * form.
 */
export function createRestHandler(router: AppRouter, deps: AppDeps) {
  const routes = restRoutes(router);

  /** Answers one request; `setRoute` learns its route template (for /metrics) as soon as it is known. */
  return async (
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    requestId: string,
    setRoute: (route: string) => void,
  ): Promise<void> => {
    const method = req.method ?? 'GET';
    const match = matchRoute(routes, method === 'HEAD' ? 'GET' : method, url.pathname);
    if (!match) {
      setRoute('unknown');
      sendRestError(res, new TRPCError({ code: 'NOT_FOUND', message: `no route for ${method} ${url.pathname}` }));
      return;
    }
    if (!('route' in match)) {
      setRoute('unknown');
      res.setHeader('allow', match.allowed.join(', '));
      sendRestError(
        res,
        new TRPCError({
          code: 'METHOD_NOT_SUPPORTED',
          message: `${method} is not allowed here; use ${match.allowed.join(', ')}`,
        }),
      );
      return;
    }
    const { route, pathParams } = match;
    setRoute(route.template);
    try {
      const [limit, setting] = route.upload
        ? [deps.env.MAX_UPLOAD_BYTES, 'MAX_UPLOAD_BYTES']
        : [deps.env.MAX_BODY_BYTES, 'MAX_BODY_BYTES'];
      // Read when the procedure's input validator asks, after its authorization: a refused call never reads it.
      const getRawInput = async () => {
        if (route.voidInput) return undefined;
        const fields = bodyMethods.has(method)
          ? parseBody(await readBody(req, limit, setting), req.headers['content-type'])
          : queryObject(url.searchParams);
        if (fields !== undefined && (typeof fields !== 'object' || fields === null || Array.isArray(fields)))
          throw new TRPCError({ code: 'BAD_REQUEST', message: 'request body must be a JSON object' });
        return { ...fields, ...pathParams };
      };
      const ctx = createContextInner(deps, requestInfo(req, requestId, deps.env.TRUSTED_PROXIES));
      const output: unknown = await route.procedure({
        path: route.path,
        getRawInput,
        ctx,
        type: route.procedure._def.type,
        signal: undefined,
        batchIndex: 0,
      });
      sendJson(res, route.successStatus, output);
    } catch (err) {
      const error = getTRPCErrorFromUnknown(err);
      if (noteError(deps.logger, error, { route: route.template, requestId })) sendRestError(res, error);
    }
  };
}
