import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { house } from './fixtures.ts';
import { login, restClient, startTestServer, superuser, type RestClient, type TestServer } from '@mlapi/server/testing';

describe('operations endpoints', () => {
  let server: TestServer;
  let api: RestClient;
  beforeAll(async () => {
    server = await startTestServer('sqlite');
    api = restClient(server.url);
  });
  afterAll(() => server.stop());

  it('/healthz is alive, /readyz is ready once the database answers and the models are loaded', async () => {
    expect((await api.get('/healthz')).body).toEqual({ status: 'ok' });
    const { models } = await import('@mlapi/ml');
    await Promise.all([models.v1.load(), models.v2.load()]);
    const ready = await api.get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ready', database: true, models: { v1: true, v2: true } });
  });

  it('echoes a sane X-Request-Id, and makes one up otherwise', async () => {
    const given = await fetch(`${server.url}/healthcheck`, { headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers.get('x-request-id')).toBe('abc-123');
    const made = await fetch(`${server.url}/healthcheck`, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('/metrics counts requests by route and status, predictions by outcome, login failures and group commits', async () => {
    const token = await login(api, superuser.username, superuser.password);
    await api.post('/mlservice/v2/predict', house, token);
    await api.post('/mlservice/v2/predict', { rm: 1 }, token);
    await api.post('/auth/token', { username: superuser.username, password: 'wrong' });
    const res = await fetch(`${server.url}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/mlapi_http_requests_total\{route="\/mlservice\/v2\/predict",method="POST",status="200"\} 1/);
    expect(text).toMatch(/mlapi_http_requests_total\{route="\/mlservice\/v2\/predict",method="POST",status="422"\} 1/);
    expect(text).toMatch(/mlapi_predictions_total\{service="v2",model_version="[^"]+",outcome="success"\} 1/);
    expect(text).toMatch(/mlapi_predictions_total\{service="v2",model_version="[^"]+",outcome="failure"\} 1/);
    expect(text).toMatch(/mlapi_login_failures_total 1/);
    expect(text).toContain('mlapi_http_request_duration_seconds_bucket');
    // The call log's group commits: the successful call was stored (before its reply) by at least one commit.
    const writes = (count: string) =>
      Number(new RegExp(`^mlapi_call_log_writes\\{count="${count}"\\} (\\d+)$`, 'm').exec(text)?.[1]);
    expect(writes('calls')).toBeGreaterThanOrEqual(1);
    expect(writes('commits')).toBeGreaterThanOrEqual(1);
    expect(writes('commits')).toBeLessThanOrEqual(writes('calls'));
  });
});
