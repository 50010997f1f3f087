import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AppDeps } from '../core/deps.ts';
import type { AppRouter } from '../app-router.ts';
import { apiReplyHeaders } from './api-reply-headers.ts';
import { clientClosedStatus } from './client-closed.ts';
import { createCors } from './cors.ts';
import { isDashboardPath, serveDashboard } from './pages/dashboard-static.ts';
import { serveDocs } from './pages/docs-page.ts';
import { buildOpenApiDocument } from './openapi/openapi-document.ts';
import { serveOps } from '../features/ops/ops-endpoints.ts';
import { createRestHandler } from './rest/rest-handler.ts';
import { createTrpcHandler } from './trpc/lean-handler.ts';

const requestIdPattern = /^[\w.:-]{1,128}$/;

/** The request target as a URL, parsed once; null for one such as `//%`, which gets a 400 instead of a throw. */
function parseTarget(target: string | undefined): URL | null {
  try {
    return new URL(target ?? '/', 'http://localhost');
  } catch {
    return null;
  }
}

const startingReply = JSON.stringify({ message: 'starting', code: 'SERVICE_UNAVAILABLE' });

/** The answer while the server has its port but not yet its database and models: come back in a second. */
const starting: RequestListener = (_req, res) => {
  res
    .writeHead(503, { ...apiReplyHeaders, 'content-type': 'application/json', 'content-length': Buffer.byteLength(startingReply), 'retry-after': '1' })
    .end(startingReply);
};

export interface HttpServer {
  server: Server;
  /** From now on every request goes to `handler` (until then: 503 `starting`, Retry-After: 1). */
  serve: (handler: RequestListener) => void;
}

/**
 * The HTTP server, before anything else exists: the start binds the port first, so a port already in use stops
 * it before the database is opened or a file is written. Requests that arrive while the rest starts get a 503.
 */
export function createHttpServer(): HttpServer {
  let handler = starting;
  const server = createServer((req, res) => handler(req, res));
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  server.keepAliveTimeout = 5_000;
  return { server, serve: (next) => void (handler = next) };
}

/** Why `listen` failed, for a person: the port and address named, and what to do. */
export function listenProblem(err: NodeJS.ErrnoException, port: number, host: string): string {
  switch (err.code) {
    case 'EADDRINUSE':
      return `port ${port} is already in use on ${host}: stop the other process or set PORT`;
    case 'EACCES':
      return `no permission to listen on port ${port} on ${host}: use a port above 1023 or set PORT`;
    case 'EADDRNOTAVAIL':
      return `address ${host} is not one of this machine's: set HOST`;
    default:
      return err.message;
  }
}

/** Binds the port; a failure is an Error whose message says what to do (listenProblem). */
export async function listen(server: Server, port: number, host: string): Promise<void> {
  await new Promise<void>((done, fail) => {
    const onError = (err: NodeJS.ErrnoException) => fail(new Error(listenProblem(err, port, host), { cause: err }));
    server.once('error', onError);
    // A deep accept queue: a burst of connections waits to be accepted instead of being dropped and retried.
    server.listen({ port, host, backlog: 4096 }, () => {
      server.off('error', onError);
      done();
    });
  });
}

/**
 * The API's request handler: /trpc, /openapi.json, /docs, /healthz, /readyz, /metrics, /dashboard, `/` (a
 * redirect to /docs), and the REST routes for the rest; HEAD wherever GET is (Node sends no body for it), CORS for
 * the configured origins (cors.ts). Every request gets an id (the caller's `X-Request-Id` when sane, else a new
 * one) echoed in the reply and logs, and is counted and timed by route for /metrics.
 */
export function createApiHandler(router: AppRouter, deps: AppDeps, version: string): RequestListener {
  const trpc = createTrpcHandler(router, deps);
  const rest = createRestHandler(router, deps);
  const cors = createCors(deps.env.CORS_ORIGINS);
  const openApiJson = JSON.stringify(buildOpenApiDocument(router, version));
  const { metrics, logger } = deps;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = process.hrtime.bigint();
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && requestIdPattern.test(given) ? given : randomUUID();
    res.setHeader('x-request-id', requestId);
    const url = parseTarget(req.url);
    if (!url) {
      res.writeHead(400, { ...apiReplyHeaders, 'content-type': 'application/json' }).end(JSON.stringify({ message: 'malformed request target', code: 'BAD_REQUEST' }));
      return;
    }
    const method = req.method ?? 'GET';
    let route = 'other';
    // 'close' comes after every reply, and also when the client hangs up before one: that request is counted
    // under 499 (client closed request), never as a 5xx.
    res.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const status = res.writableFinished ? res.statusCode : clientClosedStatus;
      metrics.httpRequests.inc({ route, method, status });
      metrics.httpDuration.observe({ route, method }, seconds);
      logger.debug({ requestId, method, path: url.pathname, route, status, ms: seconds * 1000 }, 'request');
    });
    try {
      const { pathname } = url;
      if (cors(req, res)) {
        route = 'preflight';
        return;
      }
      // HEAD is answered as GET; Node's server drops the body of a reply to HEAD.
      const read = method === 'GET' || method === 'HEAD';
      if (pathname === '/' && read) {
        route = pathname;
        res.writeHead(302, { location: '/docs', 'content-length': '0' }).end();
        return;
      }
      if (pathname === '/trpc' || pathname.startsWith('/trpc/')) {
        route = '/trpc';
        return await trpc(req, res, url, requestId);
      }
      if (read && (await serveOps(pathname, res, deps))) {
        route = pathname;
        return;
      }
      if (pathname === '/openapi.json' && read) {
        route = pathname;
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(openApiJson) }).end(openApiJson);
        return;
      }
      if (read && pathname.startsWith('/docs') && (await serveDocs(pathname, res))) {
        route = '/docs';
        return;
      }
      if (read && isDashboardPath(pathname)) {
        route = '/dashboard';
        return await serveDashboard(pathname, res, method);
      }
      await rest(req, res, url, requestId, (template) => (route = template));
    } catch (err) {
      logger.error({ requestId, url: req.url, err }, 'unhandled request error');
      if (!res.headersSent) res.writeHead(500, { ...apiReplyHeaders, 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Internal server error', code: 'INTERNAL_SERVER_ERROR' }));
    }
  };
  // handle answers its own failures (a 500 at worst): the promise it returns never rejects.
  return (req, res) => void handle(req, res);
}
