import type { IncomingMessage, ServerResponse } from 'node:http';

/** `CORS_ORIGINS`: exact origins (`scheme://host[:port]`), or `'*'` for any origin; empty: no CORS at all. */
export type CorsOrigins = readonly string[] | '*';

/** Why an entry of CORS_ORIGINS is not an origin, or undefined when it is one (as browsers write it). */
export function originProblem(entry: string): string | undefined {
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return `"${entry}" is not an origin (scheme://host[:port])`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `"${entry}" is not an http(s) origin`;
  if (url.origin !== entry)
    return `"${entry}" is not an origin as a browser sends it: write ${url.origin} (no path, no trailing slash)`;
  return undefined;
}

const allowMethods = 'GET, HEAD, POST, PUT, DELETE';
const allowHeaders = 'authorization, content-type, x-api-key, x-request-id, trpc-accept';
const exposeHeaders = 'retry-after, x-request-id, www-authenticate';

/**
 * Cross-origin access for browser apps on the configured origins. An allowed `Origin` gets
 * `Access-Control-Allow-Origin` (that origin, or `*` when any is allowed) and the headers it may read; never
 * `Access-Control-Allow-Credentials` (the API takes bearer tokens and API keys, not cookies). A preflight (OPTIONS
 * with `Access-Control-Request-Method`) is answered here with 204 — with the CORS headers for an allowed origin,
 * without them for any other, so the browser refuses the call. With no origins configured nothing is added, and an
 * OPTIONS request is left to the routes as before. Returns true when it answered the request.
 */
export function createCors(origins: CorsOrigins) {
  const any = origins === '*';
  const allowed = new Set(any ? [] : origins);
  const enabled = any || allowed.size > 0;
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (!enabled) return false;
    const origin = req.headers.origin;
    const ok = typeof origin === 'string' && (any || allowed.has(origin));
    // The reply depends on the Origin sent (headers or none), so shared caches must key on it.
    res.setHeader('vary', 'Origin');
    if (ok) {
      res.setHeader('access-control-allow-origin', any ? '*' : origin);
      res.setHeader('access-control-expose-headers', exposeHeaders);
    }
    if (req.method !== 'OPTIONS' || req.headers['access-control-request-method'] === undefined) return false;
    if (ok) {
      res.setHeader('access-control-allow-methods', allowMethods);
      res.setHeader('access-control-allow-headers', allowHeaders);
      res.setHeader('access-control-max-age', '600');
    }
    res.writeHead(204, { 'content-length': '0' }).end();
    return true;
  };
}
