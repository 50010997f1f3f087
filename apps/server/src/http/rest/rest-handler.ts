import type { IncomingMessage, ServerResponse } from 'node:http';
import { getTRPCErrorFromUnknown, TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { createContextInner, requestInfo } from '../../core/context.ts';
import type { AppDeps } from '../../core/deps.ts';
import { describeError, inputIssues } from '../../core/errors.ts';
import type { AppRouter } from '../../app-router.ts';
import { createCallerFactory } from '../../core/procedures.ts';
import { retryAfterOf } from '../../core/too-many-requests.ts';
import { apiReplyHeaders } from '../api-reply-headers.ts';
import { isClientClosedRequest } from '../client-closed.ts';
import { createFairStart } from '../admission.ts';
import { MalformedJson, parseBody, readBody } from '../read-body.ts';
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

/** The JSON error body of every REST failure: message, code, and for bad input the failing fields. */
function errorReply(error: TRPCError) {
  const issues = inputIssues(error);
  if (issues) return { status: 422, body: { message: describeError(error), code: 'UNPROCESSABLE_CONTENT', issues } };
  const position = error.cause instanceof MalformedJson ? { position: error.cause.position } : {};
  return { status: getHTTPStatusCodeFromError(error), body: { message: describeError(error), code: error.code, ...position } };
}

/** Every REST reply, success or error: JSON (or an empty 204), never cached (api-reply-headers.ts). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (status === 204) {
    res.writeHead(204, { ...apiReplyHeaders, ...headers }).end();
    return;
  }
  const json = JSON.stringify(body);
  res.writeHead(status, { ...apiReplyHeaders, 'content-type': 'application/json', 'content-length': Buffer.byteLength(json), ...headers }).end(json);
}

/** Headers an error answer carries: how to authenticate after a 401, when to retry after a 429. */
function errorHeaders(error: TRPCError): Record<string, string> {
  if (error.code === 'UNAUTHORIZED') return { 'www-authenticate': 'Bearer' };
  const retryAfter = retryAfterOf(error);
  return retryAfter ? { 'retry-after': String(retryAfter) } : {};
}

export function sendError(res: ServerResponse, error: TRPCError): void {
  const { status, body } = errorReply(error);
  sendJson(res, status, body, errorHeaders(error));
}

/**
 * REST on the original template's paths: each route (from the procedures' `openapi` metadata, the same that
 * builds /openapi.json) is dispatched to its procedure through `createCaller` — same middleware, same zod
 * schemas, no coercion added behind the schemas' back. Bodies are JSON or, for `/auth/token`, the OAuth2 form.
 */
export function createRestHandler(router: AppRouter, deps: AppDeps) {
  const routes = restRoutes(router);
  const createCaller = createCallerFactory(router);
  const fairStart = createFairStart();

  /** Answers one request; `setRoute` learns its route template (for /metrics) as soon as it is known. */
  return async (req: IncomingMessage, res: ServerResponse, url: URL, requestId: string, setRoute: (route: string) => void): Promise<void> => {
    const method = req.method ?? 'GET';
    const match = matchRoute(routes, method === 'HEAD' ? 'GET' : method, url.pathname);
    if (!match) {
      setRoute('unknown');
      sendError(res, new TRPCError({ code: 'NOT_FOUND', message: `no route for ${method} ${url.pathname}` }));
      return;
    }
    if (!('route' in match)) {
      setRoute('unknown');
      res.setHeader('allow', match.allowed.join(', '));
      sendError(res, new TRPCError({ code: 'METHOD_NOT_SUPPORTED', message: `${method} is not allowed here; use ${match.allowed.join(', ')}` }));
      return;
    }
    const { route, pathParams } = match;
    setRoute(route.template);
    try {
      let input: unknown;
      if (!route.voidInput) {
        const fields = bodyMethods.has(method)
          ? parseBody(await readBody(req, deps.env.MAX_BODY_BYTES), req.headers['content-type'])
          : queryObject(url.searchParams);
        if (fields !== undefined && (typeof fields !== 'object' || fields === null || Array.isArray(fields)))
          throw new TRPCError({ code: 'BAD_REQUEST', message: 'request body must be a JSON object' });
        input = { ...fields, ...pathParams };
      }
      await fairStart();
      const ctx = createContextInner(deps, requestInfo(req, requestId));
      const fn = route.procedure
        .split('.')
        .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], createCaller(ctx)) as (input: unknown) => Promise<unknown>;
      const output = await fn(input);
      sendJson(res, route.successStatus, output);
    } catch (err) {
      const error = getTRPCErrorFromUnknown(err);
      // The client hung up mid-body: its event, not ours, and nobody is left to answer (counted as 499).
      if (isClientClosedRequest(error)) {
        deps.logger.info({ route: route.template, requestId }, 'client closed the request');
        return;
      }
      if (error.code === 'INTERNAL_SERVER_ERROR') deps.logger.error({ route: route.template, requestId, err: error.cause ?? error }, 'internal error');
      sendError(res, error);
    }
  };
}
