import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AppDeps } from '../deps.ts';
import type { AppRouter } from '../routers/root.ts';
import { apiReplyHeaders } from './api-reply-headers.ts';
import { clientClosedStatus } from './client-closed.ts';
import { isDashboardPath, serveDashboard } from './dashboard-static.ts';
import { serveDocs } from './docs-page.ts';
import { buildOpenApiDocument } from './openapi-document.ts';
import { serveOps } from './ops-endpoints.ts';
import { createRestHandler } from './rest-handler.ts';
import { createTrpcHandler } from './trpc-handler.ts';

const requestIdPattern = /^[\w.:-]{1,128}$/;

/** The request target as a URL, parsed once; null for one such as `//%`, which gets a 400 instead of a throw. */
function parseTarget(target: string | undefined): URL | null {
  try {
    return new URL(target ?? '/', 'http://localhost');
  } catch {
    return null;
  }
}

/**
 * One HTTP server: /trpc, /openapi.json, /docs, /healthz, /readyz, /metrics, and the REST routes for the rest.
 * Every request gets an id (the caller's `X-Request-Id` when sane, else a new one) echoed in the reply and logs,
 * and is counted and timed by route for /metrics.
 */
export function createHttpServer(router: AppRouter, deps: AppDeps, version: string): Server {
  const trpc = createTrpcHandler(router, deps);
  const rest = createRestHandler(router, deps);
  const openApiJson = JSON.stringify(buildOpenApiDocument(router, version));
  const { metrics, logger } = deps;

  const server = createServer(async (req, res) => {
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
      if (pathname === '/trpc' || pathname.startsWith('/trpc/')) {
        route = '/trpc';
        return await trpc(req, res, url, requestId);
      }
      if (method === 'GET' && (await serveOps(pathname, res, deps))) {
        route = pathname;
        return;
      }
      if (pathname === '/openapi.json' && method === 'GET') {
        route = pathname;
        res.writeHead(200, { 'content-type': 'application/json' }).end(openApiJson);
        return;
      }
      if (method === 'GET' && pathname.startsWith('/docs') && (await serveDocs(pathname, res))) {
        route = '/docs';
        return;
      }
      if ((method === 'GET' || method === 'HEAD') && isDashboardPath(pathname)) {
        route = '/dashboard';
        return await serveDashboard(pathname, res, method);
      }
      await rest(req, res, url, requestId, (template) => (route = template));
    } catch (err) {
      logger.error({ requestId, url: req.url, err }, 'unhandled request error');
      if (!res.headersSent) res.writeHead(500, { ...apiReplyHeaders, 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Internal server error', code: 'INTERNAL_SERVER_ERROR' }));
    }
  });
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  server.keepAliveTimeout = 5_000;
  return server;
}
