import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStockTrpcHandler } from '../src/http/trpc/stock-handler.ts';
import { appRouter } from '../src/app-router.ts';
import { hamMail, house } from './fixtures.ts';
import { login, restClient, startTestServer, superuser, userWithRights, type TestServer } from '@mlapi/server/testing';

/**
 * The lean /trpc binding answers byte-for-byte what tRPC's own adapter answers: the same requests go to the real
 * server (lean binding) and to tRPC's stock adapter over the same procedures, context and database, and their
 * statuses, protocol headers and JSON bodies must match.
 */
describe('the lean /trpc binding against tRPC’s stock adapter', () => {
  const maxBody = 4096;
  let server: TestServer;
  let stockServer: Server;
  let stockUrl: string;
  let admin: string;
  let user: { id: number; token: string };
  beforeAll(async () => {
    server = await startTestServer('sqlite', { MAX_BODY_BYTES: String(maxBody) });
    const stock = createStockTrpcHandler(appRouter, server.deps);
    stockServer = createServer((req, res) => void stock(req, res, 'stock'));
    await new Promise<void>((done) => stockServer.listen(0, '127.0.0.1', done));
    stockUrl = `http://127.0.0.1:${(stockServer.address() as AddressInfo).port}`;
    const api = restClient(server.url);
    admin = await login(api, superuser.username, superuser.password);
    user = await userWithRights(api, admin, { is_active: true, has_access_v1: true });
  });
  afterAll(async () => {
    await new Promise((done) => stockServer?.close(done));
    await server?.stop();
  });

  interface Sent {
    method?: string;
    path: string;
    token?: string;
    body?: string;
    headers?: Record<string, string>;
  }
  const send = async (base: string, { method = 'GET', path, token, body, headers = {} }: Sent) => {
    const res = await fetch(base + path, {
      method,
      body,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
    });
    const text = await res.text();
    let json: unknown = text;
    try {
      json = text
        ? JSON.parse(
            text
              .replace(/"(prediction_id|id|created_at|retryAfter)":("[^"]*"|\d+)/g, '"$1":"…"')
              // The two requests may straddle a second: the wait a quota refusal names is not compared.
              .replace(/retry in \d+ s/g, 'retry in … s'),
          )
        : text;
    } catch {
      /* compare as text */
    }
    const header = (name: string) => res.headers.get(name);
    return {
      status: res.status,
      contentType: header('content-type'),
      vary: header('vary'),
      allow: header('allow'),
      retryAfter: header('retry-after') !== null,
      json,
    };
  };
  const same = async (request: Sent) => {
    const [lean, stock] = [await send(server.url, request), await send(stockUrl, request)];
    expect(lean, `${request.method ?? 'GET'} ${request.path}`).toEqual(stock);
    return lean;
  };
  const json = (input: unknown) => JSON.stringify({ json: input });
  const query = (input: unknown) => `input=${encodeURIComponent(JSON.stringify(input))}`;

  it('successful queries, mutations and batches', async () => {
    expect((await same({ path: '/trpc/user.me', token: user.token })).status).toBe(200);
    expect(
      (await same({ path: `/trpc/user.history?${query({ json: { limit: 2 } })}`, token: user.token })).status,
    ).toBe(200);
    expect(
      (await same({ method: 'POST', path: '/trpc/ml.v1.predict', token: user.token, body: json({ text: hamMail }) }))
        .status,
    ).toBe(200);
    const batch = `/trpc/user.me,user.history?batch=1&${query({ 1: { json: { limit: 1 } } })}`;
    expect((await same({ path: batch, token: user.token })).status).toBe(200);
    const mutations = '/trpc/ml.v1.predict,ml.v1.predict?batch=1';
    expect(
      (
        await same({
          method: 'POST',
          path: mutations,
          token: user.token,
          body: JSON.stringify({ 0: { json: { text: hamMail } }, 1: { json: { text: 'Subject: hi' } } }),
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await same({
          method: 'POST',
          path: '/trpc/ml.v1.predict',
          token: user.token,
          body: `\uFEFF${json({ text: hamMail })}`,
        })
      ).status,
    ).toBe(200);
  });

  it('refusals: no token, bad token, no right, bad input, malformed JSON (input is read only when asked for)', async () => {
    expect((await same({ path: '/trpc/user.me' })).status).toBe(401);
    expect((await same({ path: '/trpc/user.me', token: 'not.a.token' })).status).toBe(401);
    expect(
      (await same({ method: 'POST', path: '/trpc/ml.v2.predict', token: user.token, body: json(house) })).status,
    ).toBe(403);
    expect(
      (await same({ method: 'POST', path: '/trpc/ml.v1.predict', token: user.token, body: json({ text: 42 }) })).status,
    ).toBe(400);
    expect(
      (await same({ method: 'POST', path: '/trpc/ml.v1.predict', token: user.token, body: '{"json":' })).status,
    ).toBe(400);
    expect((await same({ method: 'POST', path: '/trpc/ml.v1.predict', body: '{"json":' })).status).toBe(401);
    expect((await same({ path: '/trpc/user.history?input=%7Bnope', token: user.token })).status).toBe(400);
    expect(
      (
        await same({
          method: 'POST',
          path: '/trpc/auth.token',
          body: json({ username: superuser.username, password: 'wrong' }),
        })
      ).status,
    ).toBe(401);
  });

  it('protocol errors: wrong method, unknown procedure, bad path encoding, mixed or malformed batches', async () => {
    const wrongMethod = await same({ method: 'POST', path: '/trpc/user.me', token: user.token, body: '{}' });
    expect([wrongMethod.status, wrongMethod.allow]).toEqual([405, 'GET']);
    expect((await same({ path: '/trpc/ml.v1.predict', token: user.token })).allow).toBe('POST');
    expect((await same({ path: '/trpc/nope.nothing' })).status).toBe(404);
    expect((await same({ path: '/trpc/' })).status).toBe(404);
    expect((await same({ path: '/trpc/user.me,nope?batch=1', token: user.token })).status).toBe(207);
    expect((await same({ path: '/trpc/%E0%A4%A' })).status).toBe(400);
    expect((await same({ path: '/trpc/user.me,ml.v1.predict?batch=1', token: user.token })).status).toBe(400);
    expect(
      (await same({ method: 'POST', path: '/trpc/ml.v1.predict?batch=1', token: user.token, body: '[1]' })).status,
    ).toBe(400);
  });

  it('requests the lean binding leaves to the stock adapter answer the same', async () => {
    expect(
      (
        await same({
          method: 'POST',
          path: '/trpc/ml.v1.predict',
          token: user.token,
          body: 'text',
          headers: { 'content-type': 'text/plain' },
        })
      ).status,
    ).toBe(415);
    expect((await same({ method: 'HEAD', path: '/trpc/user.me' })).status).toBe(204);
  });

  it('a quota refusal is a 429 with Retry-After on both', async () => {
    const api = restClient(server.url);
    const limited = await userWithRights(api, admin, { is_active: true, has_access_v1: true });
    expect((await api.put(`/admin/users/${limited.id}/quota`, { calls_per_minute: 1 }, admin)).status).toBe(204);
    await send(server.url, {
      method: 'POST',
      path: '/trpc/ml.v1.predict',
      token: limited.token,
      body: json({ text: hamMail }),
    });
    const refused = await same({
      method: 'POST',
      path: '/trpc/ml.v1.predict',
      token: limited.token,
      body: json({ text: hamMail }),
    });
    expect([refused.status, refused.retryAfter]).toEqual([429, true]);
  });

  it('a body over MAX_BODY_BYTES is a 413; the lean binding names the limit, as REST does', async () => {
    const big = json({ text: 'x'.repeat(maxBody) });
    const [lean, stock] = [
      await send(server.url, { method: 'POST', path: '/trpc/ml.v1.predict', token: user.token, body: big }),
      await send(stockUrl, { method: 'POST', path: '/trpc/ml.v1.predict', token: user.token, body: big }),
    ];
    expect([lean.status, stock.status]).toEqual([413, 413]);
    const message = (r: typeof lean) => (r.json as { error: { json: { message: string } } }).error.json.message;
    expect(message(lean)).toContain(`limit of ${maxBody} bytes`);
    expect({ ...lean, json: null }).toEqual({ ...stock, json: null });
  });
});
