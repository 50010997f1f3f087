import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { AppRouter } from '../app-router.ts';
import type { AppDeps } from '../core/deps.ts';
import { serveOps } from '../features/ops/ops-endpoints.ts';
import { createAdmission } from './admission.ts';
import { clientAddress } from './client-address.ts';
import { clientClosedStatus } from './client-closed.ts';
import { createCors } from './cors.ts';
import { createDatasetExport, datasetExportRoute } from './dataset-export.ts';
import { buildOpenApiDocument } from './openapi/openapi-document.ts';
import { isDashboardPath, serveDashboard } from './pages/dashboard-static.ts';
import { serveDocs } from './pages/docs-page.ts';
import { createRestHandler } from './rest/rest-handler.ts';
import { sendJson } from './send-json.ts';
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

/** One request as the route table sees it. */
interface Request {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  method: string;
  /** GET or HEAD (answered as GET; Node's server drops the body of a reply to HEAD). */
  read: boolean;
  requestId: string;
  /** Names the route the request is counted under in /metrics. */
  setRoute: (route: string) => void;
}

/** A route: answers the request and returns true, or returns false to pass it down the table. */
type Route = (r: Request) => boolean | Promise<boolean>;

/**
 * The route table of the HTTP server, in order: CORS preflights, `/` (a redirect to /docs), /trpc, /healthz,
 * /readyz and /metrics, /openapi.json, /docs, /dashboard, the streamed dataset export, and the REST routes for the
 * rest. HEAD is answered
 * wherever GET is. The API bindings (/trpc and REST) start through one admission queue (admission.ts); errors
 * are answered by error-reply.ts on every binding. Every request gets an id (the caller's `X-Request-Id` when
 * sane, else a new one) echoed in the reply and logs, and is counted and timed by route for /metrics.
 */
export function createApiHandler(router: AppRouter, deps: AppDeps, version: string): RequestListener {
  const trpc = createTrpcHandler(router, deps);
  const rest = createRestHandler(router, deps);
  const datasetExport = createDatasetExport(router, deps);
  const admit = createAdmission();
  const cors = createCors(deps.env.CORS_ORIGINS);
  const openApiJson = JSON.stringify(buildOpenApiDocument(router, version));
  const { metrics, logger } = deps;

  const routes: Route[] = [
    ({ req, res, setRoute }) => cors(req, res) && (setRoute('preflight'), true),
    ({ url, read, res, setRoute }) => {
      if (url.pathname !== '/' || !read) return false;
      setRoute('/');
      res.writeHead(302, { location: '/docs', 'content-length': '0' }).end();
      return true;
    },
    async ({ req, res, url, requestId, setRoute }) => {
      if (url.pathname !== '/trpc' && !url.pathname.startsWith('/trpc/')) return false;
      setRoute('/trpc');
      await admit();
      await trpc(req, res, url, requestId);
      return true;
    },
    async ({ url, read, res, setRoute }) =>
      read && (await serveOps(url.pathname, res, deps)) && (setRoute(url.pathname), true),
    ({ url, read, res, setRoute }) => {
      if (url.pathname !== '/openapi.json' || !read) return false;
      setRoute(url.pathname);
      res
        .writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(openApiJson) })
        .end(openApiJson);
      return true;
    },
    async ({ url, read, res, setRoute }) =>
      read && url.pathname.startsWith('/docs') && (await serveDocs(url.pathname, res)) && (setRoute('/docs'), true),
    async ({ url, read, res, method, setRoute }) => {
      if (!read || !isDashboardPath(url.pathname)) return false;
      setRoute('/dashboard');
      await serveDashboard(url.pathname, res, method);
      return true;
    },
    async ({ req, res, url, read, requestId, setRoute }) => {
      const service = read ? datasetExport.match(url.pathname) : null;
      if (service === null) return false;
      setRoute(datasetExportRoute);
      await admit();
      await datasetExport.serve(req, res, url, requestId, service);
      return true;
    },
    async ({ req, res, url, requestId, setRoute }) => {
      await admit();
      await rest(req, res, url, requestId, setRoute);
      return true;
    },
  ];

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = process.hrtime.bigint();
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && requestIdPattern.test(given) ? given : randomUUID();
    res.setHeader('x-request-id', requestId);
    const url = parseTarget(req.url);
    if (!url) return sendJson(res, 400, { message: 'malformed request target', code: 'BAD_REQUEST' });
    const method = req.method ?? 'GET';
    let route = 'other';
    // 'close' comes after every reply, and also when the client hangs up before one: that request is counted
    // under 499 (client closed request), never as a 5xx.
    res.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const status = res.writableFinished ? res.statusCode : clientClosedStatus;
      metrics.httpRequests.inc({ route, method, status });
      metrics.httpDuration.observe({ route, method }, seconds);
      if (logger.isLevelEnabled('debug')) {
        const client = clientAddress(req, deps.env.TRUSTED_PROXIES);
        logger.debug({ requestId, client, method, path: url.pathname, route, status, ms: seconds * 1000 }, 'request');
      }
    });
    const request: Request = {
      req,
      res,
      url,
      method,
      read: method === 'GET' || method === 'HEAD',
      requestId,
      setRoute: (r) => (route = r),
    };
    try {
      for (const serve of routes) if (await serve(request)) return;
    } catch (err) {
      logger.error({ requestId, url: req.url, err }, 'unhandled request error');
      if (res.headersSent) res.end();
      else sendJson(res, 500, { message: 'Internal server error', code: 'INTERNAL_SERVER_ERROR' });
    }
  };
  // handle answers its own failures (a 500 at worst): the promise it returns never rejects.
  return (req, res) => void handle(req, res);
}
