import type { ServerResponse } from 'node:http';
import type { AppDeps } from '../deps.ts';

/** Whether the database answers, within its configured timeout. */
export async function databaseReachable(deps: AppDeps): Promise<boolean> {
  return deps.db
    .fork()
    .getConnection()
    .execute('select 1')
    .then(() => true, () => false);
}

/**
 * Operational endpoints outside the API: `/healthz` (the process is alive), `/readyz` (database reachable and
 * models loaded: 503 otherwise, so a load balancer stops sending traffic) and `/metrics` (Prometheus text).
 * Answers true when it handled the path.
 */
export async function serveOps(pathname: string, res: ServerResponse, deps: AppDeps): Promise<boolean> {
  switch (pathname) {
    case '/healthz':
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return true;
    case '/readyz': {
      const database = await databaseReachable(deps);
      const loaded = deps.models.allLoaded();
      const ready = database && Object.values(loaded).every(Boolean);
      res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: ready ? 'ready' : 'not ready', database, models: loaded }));
      return true;
    }
    case '/metrics':
      res.writeHead(200, { 'content-type': deps.metrics.registry.contentType }).end(await deps.metrics.registry.metrics());
      return true;
    default:
      return false;
  }
}
