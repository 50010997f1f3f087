import { testDialects } from '@mlapi/db/testing';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  signedInServer,
  startTestServer,
  userWithRights,
  type RestClient,
  type TestServer,
} from '@mlapi/server/testing';

interface RawReply {
  status: number;
  headers: Record<string, string>;
  /** Every byte after the header block, until the server closed the connection. */
  after: string;
}

/** One request on a raw socket (`Connection: close`), so whatever the server sends after the headers is seen. */
function rawRequest(
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<RawReply> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((done, fail) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', fail);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      const [statusLine, ...lines] = text.slice(0, split).split('\r\n');
      const parsed: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        parsed[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      done({ status: Number(statusLine!.split(' ')[1]), headers: parsed, after: text.slice(split + 4) });
    });
    const extra = Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    socket.write(`${method} ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: close\r\n${extra}\r\n`);
  });
}

/** Headers that differ between any two replies (or by connection handling), left out of the comparison. */
const perReply = new Set(['date', 'x-request-id', 'connection', 'keep-alive']);
const comparable = (headers: Record<string, string>, skip: string[] = []) =>
  Object.fromEntries(Object.entries(headers).filter(([k]) => !perReply.has(k) && !skip.includes(k)));

/** The names of the Access-Control-* headers of a reply. */
function accessControl(headers: Headers): string[] {
  const names: string[] = [];
  headers.forEach((_value, name) => names.push(name));
  return names.filter((k) => k.startsWith('access-control-'));
}

describe.each(testDialects)('first contact (%s)', (dialect) => {
  let server: TestServer;
  let api: RestClient;
  let admin: string;
  beforeAll(async () => {
    ({ server, api, admin } = await signedInServer(dialect));
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** HEAD answers as GET does: same status, same headers (length included), and not one byte of body. */
  async function headMatchesGet(path: string, headers: Record<string, string> = {}, skip: string[] = []) {
    const get = await rawRequest(server.url, 'GET', path, headers);
    const head = await rawRequest(server.url, 'HEAD', path, headers);
    expect(head.status, path).toBe(get.status);
    expect(head.after, `HEAD ${path} sent a body`).toBe('');
    expect(comparable(head.headers, skip), path).toEqual(comparable(get.headers, skip));
    // GET's own framing is a length, so HEAD's headers say how big the GET body is.
    if (!skip.includes('content-length')) {
      expect(get.headers['transfer-encoding'], path).toBeUndefined();
      expect(Number(head.headers['content-length']), path).toBe(Buffer.byteLength(get.after, 'latin1'));
    }
    return { get, head };
  }

  it('HEAD on /healthz, /readyz, /metrics, /openapi.json', async () => {
    expect((await headMatchesGet('/healthz')).head.status).toBe(200);
    // The models warm up in the background: ready first, then compare.
    await expect
      .poll(() => Object.values(server.deps.models.allLoaded()).every(Boolean), { timeout: 20_000 })
      .toBe(true);
    expect((await headMatchesGet('/readyz')).head.status).toBe(200);
    expect((await headMatchesGet('/openapi.json')).get.headers['content-type']).toBe('application/json');
    // /metrics changes between two calls (they count each other): same status and type, no body.
    const { head } = await headMatchesGet('/metrics', {}, ['content-length']);
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toMatch(/^text\/plain/);
  });

  it('HEAD on /docs and its assets, and on /dashboard', async () => {
    for (const path of [
      '/docs',
      '/docs/',
      '/docs/swagger-init.js',
      '/docs/swagger-ui.css',
      '/docs/swagger-ui-bundle.js',
      '/docs/favicon-32x32.png',
      '/dashboard',
    ]) {
      const { head } = await headMatchesGet(path);
      expect(head.status, path).toBe(200);
    }
    expect((await rawRequest(server.url, 'HEAD', '/docs/no-such-file.js')).status).toBe(404);
  });

  it('HEAD on REST GET routes: public, signed in, and 401 without a body when the token is missing', async () => {
    for (const path of ['/healthcheck', '/mlservice/v1/healthcheck', '/mlservice/v2/healthcheck'])
      expect((await headMatchesGet(path)).head.status, path).toBe(200);
    const bearer = { authorization: `Bearer ${admin}` };
    expect((await headMatchesGet('/user', bearer)).head.status).toBe(200);
    expect((await headMatchesGet('/admin/users?limit=5', bearer)).head.status).toBe(200);
    const { head } = await headMatchesGet('/admin/users');
    expect(head.status).toBe(401);
    expect(head.headers['www-authenticate']).toBe('Bearer');
    const user = await userWithRights(api, admin, { is_active: true });
    expect((await headMatchesGet('/admin/users', { authorization: `Bearer ${user.token}` })).head.status).toBe(403);
    // HEAD is GET's twin only: a POST-only route answers 405 naming POST.
    const post = await rawRequest(server.url, 'HEAD', '/mlservice/v1/predict');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('POST');
    expect(post.after).toBe('');
  });

  it('GET / and HEAD / redirect to /docs', async () => {
    const get = await fetch(`${server.url}/`, { redirect: 'manual' });
    expect(get.status).toBe(302);
    expect(get.headers.get('location')).toBe('/docs');
    const head = await rawRequest(server.url, 'HEAD', '/');
    expect(head.status).toBe(302);
    expect(head.headers.location).toBe('/docs');
    expect(head.after).toBe('');
    // and following it lands on Swagger UI
    const followed = await fetch(`${server.url}/`);
    expect(followed.url).toBe(`${server.url}/docs`);
    expect(await followed.text()).toContain('swagger-ui');
  });

  it('without CORS_ORIGINS: no CORS headers, whatever the Origin; a preflight is not answered as one', async () => {
    const res = await fetch(`${server.url}/healthcheck`, { headers: { origin: 'https://app.example.com' } });
    expect(res.status).toBe(200);
    expect(accessControl(res.headers)).toEqual([]);
    expect(res.headers.get('vary')).toBeNull();
    const preflight = await fetch(`${server.url}/mlservice/v1/predict`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(preflight.status).toBe(405);
    expect(accessControl(preflight.headers)).toEqual([]);
  });
});

describe.each(testDialects)('CORS with CORS_ORIGINS (%s)', (dialect) => {
  const allowed = 'https://app.example.com';
  let server: TestServer;
  let api: RestClient;
  let admin: string;
  beforeAll(async () => {
    ({ server, api, admin } = await signedInServer(dialect, { CORS_ORIGINS: `${allowed}, http://localhost:5173` }));
  });
  afterAll(async () => {
    await server?.stop();
  });

  const expectAllowed = (headers: Headers, origin = allowed) => {
    expect(headers.get('access-control-allow-origin')).toBe(origin);
    expect(headers.get('vary')?.split(/,\s*/)).toContain('Origin');
    expect(headers.get('access-control-expose-headers')).toBe('retry-after, x-request-id, www-authenticate');
    expect(headers.get('access-control-allow-credentials')).toBeNull();
  };

  it('an allowed origin gets its origin back on GET, on a prediction, on a 401, and on /trpc', async () => {
    const health = await fetch(`${server.url}/healthcheck`, { headers: { origin: allowed } });
    expect(health.status).toBe(200);
    expectAllowed(health.headers);
    const second = await fetch(`${server.url}/healthz`, { headers: { origin: 'http://localhost:5173' } });
    expectAllowed(second.headers, 'http://localhost:5173');

    const user = await userWithRights(api, admin, { is_active: true, has_access_v1: true });
    const predicted = await fetch(`${server.url}/mlservice/v1/predict`, {
      method: 'POST',
      headers: { origin: allowed, authorization: `Bearer ${user.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'win a free prize now' }),
    });
    expect(predicted.status).toBe(200);
    expectAllowed(predicted.headers);
    expect((await predicted.json()).prediction_id).toBeGreaterThan(0);

    const refused = await fetch(`${server.url}/mlservice/v1/predict`, {
      method: 'POST',
      headers: { origin: allowed, 'content-type': 'application/json' },
      body: '{"text":"x"}',
    });
    expect(refused.status).toBe(401);
    expectAllowed(refused.headers);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer');

    const trpc = await fetch(`${server.url}/trpc/health.check`, { headers: { origin: allowed } });
    expectAllowed(trpc.headers);
    expect(trpc.headers.get('vary')?.split(/,\s*/)).toEqual(expect.arrayContaining(['Origin', 'trpc-accept']));
  });

  it('a preflight from an allowed origin: 204 with methods, headers and max-age', async () => {
    for (const path of ['/mlservice/v1/predict', '/trpc/ml.v1.predict']) {
      const res = await fetch(server.url + path, {
        method: 'OPTIONS',
        headers: {
          origin: allowed,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      });
      expect(res.status, path).toBe(204);
      expect(await res.text(), path).toBe('');
      expectAllowed(res.headers);
      expect(res.headers.get('access-control-allow-methods')?.split(', '), path).toEqual(
        expect.arrayContaining(['GET', 'POST', 'PUT', 'DELETE']),
      );
      expect(res.headers.get('access-control-allow-headers'), path).toBe(
        'authorization, content-type, x-api-key, x-request-id, trpc-accept',
      );
      expect(res.headers.get('access-control-max-age'), path).toBe('600');
    }
  });

  it('a disallowed or absent Origin gets no CORS headers; its preflight is 204 without them', async () => {
    for (const origin of [
      'https://evil.example',
      'https://app.example.com.evil.example',
      'http://app.example.com',
      'null',
    ]) {
      const res = await fetch(`${server.url}/healthcheck`, { headers: { origin } });
      expect(res.status, origin).toBe(200);
      expect(accessControl(res.headers), origin).toEqual([]);
      const preflight = await fetch(`${server.url}/mlservice/v1/predict`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      });
      expect(preflight.status, origin).toBe(204);
      expect(accessControl(preflight.headers), origin).toEqual([]);
    }
    const none = await fetch(`${server.url}/healthcheck`);
    expect(accessControl(none.headers)).toEqual([]);
    expect(none.headers.get('vary')).toBe('Origin'); // the reply differs by Origin: caches must know
  });
});

describe('CORS_ORIGINS=* (any origin, no credentials)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('sqlite', { CORS_ORIGINS: '*' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('answers any origin with *, never with credentials', async () => {
    const res = await fetch(`${server.url}/healthcheck`, { headers: { origin: 'https://anyone.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    const preflight = await fetch(`${server.url}/user`, {
      method: 'OPTIONS',
      headers: { origin: 'http://127.0.0.1:9', 'access-control-request-method': 'GET' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
  });
});
