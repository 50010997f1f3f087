import { testDialects } from '@mlapi/db/testing';
import { get, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  signedInServer,
  startTestServer,
  superuser,
  userWithRights,
  type RestClient,
  type TestServer,
} from '@mlapi/server/testing';

/** Hardening: no API reply (a token, a new API key's secret, user data, an error) may be kept by any cache. */
const expectNoStore = (headers: Headers, what: string) => {
  expect(headers.get('cache-control'), what).toBe('no-store');
  expect(headers.get('pragma'), what).toBe('no-cache');
};

const trpcPost = (base: string, path: string, input: unknown, token?: string) =>
  fetch(`${base}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ json: input }),
  });

describe.each(testDialects)('Cache-Control: no-store on API replies on %s', (dialect) => {
  let server: TestServer;
  let stock: TestServer;
  let api: RestClient;
  let admin: string;
  beforeAll(async () => {
    ({ server, api, admin } = await signedInServer(dialect));
    stock = await startTestServer(dialect, { TRPC_BINDING: 'stock' });
  });
  afterAll(async () => {
    await server?.stop();
    await stock?.stop();
  });

  it('the token reply of POST /auth/token (form and JSON, success and refusal) is no-store', async () => {
    const form = await api.form('/auth/token', {
      grant_type: 'password',
      username: superuser.username,
      password: superuser.password,
    });
    expect(form.status).toBe(200);
    expect(form.body.access_token).toMatch(/^ey/);
    expectNoStore(form.headers, 'form token');
    const json = await api.post('/auth/token', { username: superuser.username, password: superuser.password });
    expect(json.status).toBe(200);
    expectNoStore(json.headers, 'JSON token');
    const refused = await api.post('/auth/token', { username: superuser.username, password: 'wrong' });
    expect(refused.status).toBe(401);
    expectNoStore(refused.headers, '401');
  });

  it('the token reply of /trpc auth.token is no-store, on the lean binding and on the stock adapter', async () => {
    for (const base of [server.url, stock.url]) {
      const ok = await trpcPost(base, 'auth.token', { username: superuser.username, password: superuser.password });
      expect(ok.status, base).toBe(200);
      expect((await ok.json()).result.data.json.access_token).toMatch(/^ey/);
      expectNoStore(ok.headers, `${base} token`);
      const refused = await trpcPost(base, 'auth.token', { username: superuser.username, password: 'wrong' });
      expect(refused.status, base).toBe(401);
      expectNoStore(refused.headers, `${base} refused`);
      // A request refused as a whole (unknown procedure) and a GET query too.
      expectNoStore((await trpcPost(base, 'no.such.procedure', {})).headers, `${base} 404`);
      const me = await fetch(`${base}/trpc/user.me`, { headers: { authorization: `Bearer ${admin}` } });
      expect(me.status, base).toBe(200);
      expectNoStore(me.headers, `${base} user.me`);
    }
  });

  it('the API-key creation reply (which carries the secret) is no-store, over REST and /trpc', async () => {
    const user = await userWithRights(api, admin, { is_active: true, has_access_v1: true });
    const created = await api.post('/user/api-keys', { name: 'ci', services: ['v1'] }, user.token);
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^mlk_/);
    expectNoStore(created.headers, 'REST api key');
    const viaTrpc = await trpcPost(server.url, 'apiKeys.create', { name: 'ci2', services: ['v1'] }, user.token);
    expect(viaTrpc.status).toBe(200);
    expect((await viaTrpc.json()).result.data.json.key).toMatch(/^mlk_/);
    expectNoStore(viaTrpc.headers, 'trpc api key');
  });

  it('every other REST reply is no-store too: a list, a 204, a 422, a 404, a 405, a malformed target', async () => {
    expectNoStore((await api.get('/admin/users', admin)).headers, 'list');
    const user = await userWithRights(api, admin);
    const updated = await api.put(`/admin/users/${user.id}`, { is_active: true }, admin);
    expect(updated.status).toBe(204);
    expectNoStore(updated.headers, '204');
    const invalid = await api.post('/auth/create', { username: 'not an email' });
    expect(invalid.status).toBe(422);
    expectNoStore(invalid.headers, '422');
    expectNoStore((await api.get('/no/such/route')).headers, '404');
    const wrongMethod = await api.delete('/auth/token');
    expect(wrongMethod.status).toBe(405);
    expectNoStore(wrongMethod.headers, '405');
    // A request target that is no URL at all (fetch would normalise it: sent raw).
    const malformed = await new Promise<IncomingMessage>((done, fail) =>
      get(`${server.url}//%`, done).on('error', fail),
    );
    malformed.resume();
    expect(malformed.statusCode).toBe(400);
    expect(malformed.headers['cache-control']).toBe('no-store');
  });

  it('static files keep their caching: /openapi.json, /docs assets, the dashboard’s hashed assets', async () => {
    const doc = await fetch(`${server.url}/openapi.json`);
    expect(doc.status).toBe(200);
    expect(doc.headers.get('cache-control') ?? '').not.toContain('no-store');
    const bundle = await fetch(`${server.url}/docs/swagger-ui-bundle.js`);
    expect(bundle.headers.get('cache-control')).toBe('public, max-age=86400');
    const index = await (await fetch(`${server.url}/dashboard`)).text();
    const asset = index.match(/\/dashboard\/assets\/[\w.-]+\.js/)?.[0];
    expect(asset, 'the dashboard is built (npm run build -w @mlapi/dashboard)').toBeDefined();
    expect((await fetch(server.url + asset)).headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });
});
