import { PredictionLog, ServiceCall, openDatabase } from '@mlapi/db';
import { createTestDatabase } from '@mlapi/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, restClient, superuser } from '@mlapi/server/testing';
import { spawnServer, type ServerProcess } from './spawn-server.ts';
import { startNginx, type NginxProcess } from './nginx-proxy.ts';
import { builtInV1Upload, hamMail } from './fixtures.ts';
import { loginFrom } from './login-from.ts';

/** v1 predictions a replica counted, from its own /metrics (asked directly, not through nginx). */
async function predictionsOf(replica: ServerProcess): Promise<number> {
  const text = await (await fetch(`${replica.url}/metrics`)).text();
  return [...text.matchAll(/^mlapi_predictions_total\{[^}]*service="v1"[^}]*\} (\d+)/gm)].reduce(
    (sum, m) => sum + Number(m[1]),
    0,
  );
}

describe('nginx (the committed config) in front of two server processes on one PostgreSQL database', () => {
  const database = createTestDatabase('postgresql');
  let a: ServerProcess;
  let b: ServerProcess;
  let nginx: NginxProcess;
  beforeAll(async () => {
    const env = {
      DATABASE_URL: database.url,
      // nginx connects from 127.0.0.1; the clients below come from other loopback addresses.
      TRUSTED_PROXIES: '127.0.0.1',
      LOGIN_MAX_FAILURES_PER_IP: '3',
      DEFAULT_CALLS_PER_MINUTE: '1000000',
      DEFAULT_CALLS_PER_DAY: '100000000',
    };
    a = await spawnServer(env);
    b = await spawnServer(env);
    // Uploads up to 4 MiB here (the replicas take 256 MiB): a test of nginx's own limit needs no big body.
    nginx = await startNginx([new URL(a.url).host, new URL(b.url).host], 1024 * 1024, 4 * 1024 * 1024);
  });
  afterAll(async () => {
    await nginx?.stop();
    await Promise.all([a?.stop(), b?.stop()]);
    await database.drop();
  });

  it('spreads calls across both replicas', async () => {
    const api = restClient(nginx.url);
    const token = await login(api, superuser.username, superuser.password);
    const statuses = await Promise.all(
      Array.from({ length: 40 }, () =>
        api.post('/mlservice/v1/predict', { text: hamMail }, token).then((r) => r.status),
      ),
    );
    expect(statuses.every((s) => s === 200)).toBe(true);
    const [onA, onB] = [await predictionsOf(a), await predictionsOf(b)];
    expect(onA + onB).toBe(40);
    expect(onA).toBeGreaterThan(0);
    expect(onB).toBeGreaterThan(0);
  });

  it('does not publish /metrics, which each replica still serves to a scraper on its own address', async () => {
    const proxied = await fetch(`${nginx.url}/metrics`);
    expect(proxied.status).toBe(404);
    expect(await proxied.json()).toMatchObject({ code: 'NOT_FOUND' });
    const direct = await fetch(`${a.url}/metrics`);
    expect(direct.status).toBe(200);
    expect(await direct.text()).toContain('mlapi_http_requests_total');
    await expect.poll(() => nginx.accessLog()).toMatch(/"GET \/metrics HTTP\/1\.1" 404 .* upstream=- /);
  });

  it('refuses a body over MAX_BODY_BYTES itself, with the JSON answer the server would give', async () => {
    const api = restClient(nginx.url);
    const token = await login(api, superuser.username, superuser.password);
    const reply = await api.post('/mlservice/v1/predict', { text: 'x'.repeat(1024 * 1024) }, token);
    expect(reply.status).toBe(413);
    expect(reply.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(reply.body.message).toContain('1048576 bytes (MAX_BODY_BYTES)');
    // nginx answered it: no replica was asked (its log line may come just after the reply).
    await expect.poll(() => nginx.accessLog()).toMatch(/"POST \/mlservice\/v1\/predict HTTP\/1\.1" 413 .* upstream=- /);
  });

  it('passes a model upload past MAX_BODY_BYTES to a replica, which refuses it unread to an anonymous caller', async () => {
    const api = restClient(nginx.url);
    const token = await login(api, superuser.username, superuser.password);
    const files = builtInV1Upload('7.0.0');
    expect(JSON.stringify({ files }).length).toBeGreaterThan(1024 * 1024);
    const registered = await api.post('/admin/models/v1/versions', { files }, token);
    expect(registered.status).toBe(201);
    expect(registered.body).toMatchObject({ version: '7.0.0', state: 'registered' });
    expect((await api.post('/admin/models/v1/versions', { files })).status).toBe(401);
    // Over the upload limit: nginx answers, naming it.
    const huge = { files: [{ path: 'model.onnx', content_base64: 'A'.repeat(5 * 1024 * 1024) }] };
    const refused = await api.post('/admin/models/v1/versions', huge, token);
    expect(refused.status).toBe(413);
    expect(refused.body.message).toContain(`${4 * 1024 * 1024} bytes (MAX_UPLOAD_BYTES)`);
    await expect
      .poll(() => nginx.accessLog())
      .toMatch(/"POST \/admin\/models\/v1\/versions HTTP\/1\.1" 413 .* upstream=- /);
  });

  it('throttles logins by the client address nginx forwards, whatever X-Forwarded-For the client sent', async () => {
    const base = nginx.url;
    // Three failures from 127.0.0.2 (each a new username, so only the per-address counter fills): the fourth is
    // refused, also when the client claims another address; 127.0.0.3 is still let through to the password check.
    for (let i = 0; i < 3; i++) expect(await loginFrom(base, '127.0.0.2', `nobody${i}@example.com`)).toBe(401);
    expect(await loginFrom(base, '127.0.0.2', 'nobody3@example.com')).toBe(429);
    expect(await loginFrom(base, '127.0.0.2', 'nobody4@example.com', { 'x-forwarded-for': '198.51.100.7' })).toBe(429);
    expect(await loginFrom(base, '127.0.0.3', 'nobody5@example.com')).toBe(401);
    await expect.poll(() => nginx.accessLog()).toMatch(/^127\.0\.0\.2 "POST \/auth\/token HTTP\/1\.1" 429 /m);
  });

  it('SIGTERM to one replica mid-load: no 5xx, every acknowledged call stored once, the other keeps answering', async () => {
    const api = restClient(nginx.url);
    const token = await login(api, superuser.username, superuser.password);
    const db = await openDatabase(database.url);
    try {
      const callsBefore = await db.fork().count(ServiceCall, { serviceVersion: 'v1' });
      const acknowledged: number[] = [];
      const others: string[] = [];
      let stopAt = Date.now() + 60_000;
      const client = async () => {
        while (Date.now() < stopAt) {
          const reply = await api.post('/mlservice/v1/predict', { text: hamMail }, token).catch((e: Error) => e);
          if (reply instanceof Error) others.push(reply.message);
          else if (reply.status === 200) acknowledged.push(reply.body.prediction_id);
          else others.push(`${reply.status} ${JSON.stringify(reply.body)}`);
        }
      };
      const clients = Array.from({ length: 20 }, client);
      while (acknowledged.length < 200) await new Promise((r) => setTimeout(r, 20));
      const onAtStop = acknowledged.length;
      expect(await a.stop('SIGTERM')).toBe(0);
      // Load on the survivor alone for a while after the drain, then the clients stop.
      const afterDrain = acknowledged.length;
      while (acknowledged.length < afterDrain + 200) await new Promise((r) => setTimeout(r, 20));
      stopAt = 0;
      await Promise.all(clients);

      expect(others).toEqual([]);
      expect(acknowledged.length).toBeGreaterThan(onAtStop);
      expect(new Set(acknowledged).size).toBe(acknowledged.length);
      // The survivor's call log is written in groups: wait (bounded) for its last group to land.
      const em = db.fork();
      for (let i = 0; i < 100; i++) {
        if ((await em.count(ServiceCall, { serviceVersion: 'v1' })) - callsBefore >= acknowledged.length) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect((await em.count(ServiceCall, { serviceVersion: 'v1' })) - callsBefore).toBe(acknowledged.length);
      expect(await em.count(PredictionLog, { id: { $in: acknowledged } })).toBe(acknowledged.length);
      expect((await api.post('/mlservice/v1/predict', { text: hamMail }, token)).status).toBe(200);
    } finally {
      await db.close();
    }
  });
});
