import type { ServerResponse } from 'node:http';
import type { AppDeps } from '../../core/deps.ts';

/** A complete reply with its length, so an answer to HEAD carries the same headers as one to GET. */
function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) }).end(body);
}

/**
 * Operational endpoints outside the API: `/healthz` (the process is alive), `/readyz` (database reachable and
 * models loaded: 503 otherwise, so a load balancer stops sending traffic) and `/metrics` (Prometheus text), to
 * GET and HEAD. Answers true when it handled the path.
 */
export async function serveOps(pathname: string, res: ServerResponse, deps: AppDeps): Promise<boolean> {
  switch (pathname) {
    case '/healthz':
      send(res, 200, 'application/json', '{"status":"ok"}');
      return true;
    case '/readyz': {
      const database = await deps.data.health.reachable();
      const loaded = deps.models.allLoaded();
      const ready = database && Object.values(loaded).every(Boolean);
      send(
        res,
        ready ? 200 : 503,
        'application/json',
        JSON.stringify({ status: ready ? 'ready' : 'not ready', database, models: loaded }),
      );
      return true;
    }
    case '/metrics':
      send(res, 200, deps.metrics.registry.contentType, await deps.metrics.registry.metrics());
      return true;
    default:
      return false;
  }
}
