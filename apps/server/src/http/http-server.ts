import { createServer, type Server } from 'node:http';
import type { AppDeps } from '../deps.ts';
import type { AppRouter } from '../routers/root.ts';
import { serveDocs } from './docs-page.ts';
import { buildOpenApiDocument } from './openapi-document.ts';
import { createRestHandler } from './rest-handler.ts';
import { createTrpcHandler } from './trpc-handler.ts';

/** One HTTP server: /trpc, /openapi.json, /docs, and the REST routes for everything else. */
export function createHttpServer(router: AppRouter, deps: AppDeps, version: string): Server {
  const trpc = createTrpcHandler(router, deps);
  const rest = createRestHandler(router, deps);
  const openApiJson = JSON.stringify(buildOpenApiDocument(router, version));

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const { pathname } = url;
      if (pathname === '/trpc' || pathname.startsWith('/trpc/')) return await trpc(req, res);
      if (pathname === '/openapi.json' && req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(openApiJson);
        return;
      }
      if (req.method === 'GET' && pathname.startsWith('/docs') && (await serveDocs(pathname, res))) return;
      await rest(req, res, url);
    } catch (err) {
      deps.logger.error('unhandled request error', { url: req.url, error: String(err) });
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Internal server error', code: 'INTERNAL_SERVER_ERROR' }));
    }
  });
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  server.keepAliveTimeout = 5_000;
  return server;
}
