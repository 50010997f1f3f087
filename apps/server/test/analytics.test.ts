import { rebuildRollups, ServiceCall, User } from '@mlapi/db';
import { testDialects } from '@mlapi/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  login,
  restClient,
  startTestServer,
  superuser,
  userWithRights,
  type RestClient,
  type TestServer,
} from '@mlapi/server/testing';

/** A known set of calls. 2026-03-02 is a Monday; Paris is UTC+1 then, Kolkata UTC+5:30. */
const window = 'from=2026-03-02T00:00:00Z&to=2026-03-05T00:00:00Z';
type Who = 'alice' | 'bob' | null;
const calls: [Who, 'v1' | 'v2', boolean, string, number][] = [
  ['alice', 'v1', true, '2026-03-02T08:15:00Z', 10],
  ['alice', 'v1', true, '2026-03-02T08:45:00Z', 20],
  ['alice', 'v2', true, '2026-03-02T23:30:00Z', 30],
  ['alice', 'v1', false, '2026-03-03T12:00:00Z', 1],
  ['bob', 'v2', true, '2026-03-03T12:10:00Z', 40],
  ['bob', 'v2', true, '2026-03-04T06:00:00Z', 50],
  ['bob', 'v1', false, '2026-03-04T22:59:00Z', 2],
  [null, 'v1', true, '2026-03-04T10:00:00Z', 60], // a deleted user's call
  ['alice', 'v1', true, '2026-03-05T00:00:00Z', 1000], // at `to`: outside
  ['bob', 'v1', true, '2026-03-01T23:59:59Z', 1000], // before `from`: outside
];

const hours = (entries: Record<number, number>) => Array.from({ length: 24 }, (_, h) => entries[h] ?? 0);

describe.each(testDialects)('usage analytics on %s', (dialect) => {
  let server: TestServer;
  let api: RestClient;
  let admin: string;
  let alice: Awaited<ReturnType<typeof userWithRights>>;
  let bob: Awaited<ReturnType<typeof userWithRights>>;

  beforeAll(async () => {
    server = await startTestServer(dialect);
    api = restClient(server.url);
    admin = await login(api, superuser.username, superuser.password);
    alice = await userWithRights(api, admin, { is_active: true });
    bob = await userWithRights(api, admin, { is_active: true });
    const em = server.deps.db.fork();
    const owners = { alice: em.getReference(User, alice.id), bob: em.getReference(User, bob.id) };
    for (const [who, service, success, at, duration] of calls) {
      const requestTime = new Date(at);
      em.create(ServiceCall, {
        serviceVersion: service,
        success,
        error: success ? null : 'refused',
        owner: who ? owners[who] : null,
        requestTime,
        completionTime: new Date(requestTime.getTime() + duration),
        duration,
      });
    }
    await em.flush();
    // Rows written straight into the log, as an import would: the rebuild makes their rollups.
    await rebuildRollups(server.deps.db);
  });
  afterAll(() => server?.stop());

  it('counts totals, services, hours, weekdays and days in UTC, with nearest-rank latency and top users', async () => {
    const res = await api.get(`/admin/analytics/usage?${window}`, admin);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      from: '2026-03-02T00:00:00.000Z',
      to: '2026-03-05T00:00:00.000Z',
      tz: 'UTC',
      user_id: null,
      service: null,
      total: 8,
      successes: 6,
      failures: 2,
      success_rate: 0.75,
      by_service: [
        { service: 'v1', calls: 5, successes: 3 },
        { service: 'v2', calls: 3, successes: 3 },
      ],
      by_hour: hours({ 6: 1, 8: 2, 10: 1, 12: 2, 22: 1, 23: 1 }),
      by_weekday: [3, 2, 3, 0, 0, 0, 0],
      heatmap: [
        hours({ 8: 2, 23: 1 }),
        hours({ 12: 2 }),
        hours({ 6: 1, 10: 1, 22: 1 }),
        hours({}),
        hours({}),
        hours({}),
        hours({}),
      ],
      per_day: [
        { date: '2026-03-02', v1: 2, v2: 1, total: 3, failures: 0 },
        { date: '2026-03-03', v1: 1, v2: 1, total: 2, failures: 1 },
        { date: '2026-03-04', v1: 2, v2: 1, total: 3, failures: 1 },
      ],
      latency_ms: expect.any(Object),
      top_users: [
        { user_id: alice.id, username: alice.username, calls: 4 },
        { user_id: bob.id, username: bob.username, calls: 3 },
      ],
    });
  });

  it('reads latency percentiles within 10 % of the nearest-rank ones, the maximum exactly', async () => {
    const { latency_ms } = (await api.get(`/admin/analytics/usage?${window}`, admin)).body;
    // successful durations 10 20 30 40 50 60: ranks ⌈.5·6⌉ = 3, ⌈.95·6⌉ = 6, ⌈.99·6⌉ = 6
    expect(latency_ms).toMatchObject({ count: 6, max: 60 });
    expect(latency_ms.p50).toBeGreaterThanOrEqual(27);
    expect(latency_ms.p50).toBeLessThanOrEqual(33);
    expect(latency_ms.p95).toBeGreaterThanOrEqual(54);
    expect(latency_ms.p99).toBeLessThanOrEqual(60);
    const v2 = (await api.get(`/admin/analytics/usage?${window}&service=v2`, admin)).body.latency_ms;
    expect(v2).toMatchObject({ count: 3, max: 50 });
    expect(v2.p50).toBeGreaterThanOrEqual(36);
    expect(v2.p50).toBeLessThanOrEqual(44);
  });

  it('widens a window to whole 15-minute buckets and says so', async () => {
    const res = await api.get('/admin/analytics/usage?from=2026-03-02T08:20:00Z&to=2026-03-02T08:31:00Z', admin);
    expect(res.body).toMatchObject({ from: '2026-03-02T08:15:00.000Z', to: '2026-03-02T08:45:00.000Z', total: 1 });
  });

  it('counts days, hours and weekdays in the tz given (Europe/Paris, UTC+1 in March)', async () => {
    const res = await api.get(`/admin/analytics/usage?${window}&tz=Europe/Paris`, admin);
    expect(res.status).toBe(200);
    expect(res.body.tz).toBe('Europe/Paris');
    expect(res.body.by_hour).toEqual(hours({ 0: 1, 7: 1, 9: 2, 11: 1, 13: 2, 23: 1 }));
    expect(res.body.by_weekday).toEqual([2, 3, 3, 0, 0, 0, 0]);
    expect(res.body.heatmap[1]).toEqual(hours({ 0: 1, 13: 2 }));
    expect(res.body.per_day).toEqual([
      { date: '2026-03-02', v1: 2, v2: 0, total: 2, failures: 0 },
      { date: '2026-03-03', v1: 1, v2: 2, total: 3, failures: 1 },
      { date: '2026-03-04', v1: 2, v2: 1, total: 3, failures: 1 },
      { date: '2026-03-05', v1: 0, v2: 0, total: 0, failures: 0 },
    ]);
    expect(res.body.total).toBe(8);
  });

  it('places calls exactly in a zone with a half-hour offset (Asia/Kolkata, UTC+5:30)', async () => {
    const res = await api.get(`/admin/analytics/usage?${window}&tz=Asia/Kolkata`, admin);
    expect(res.status).toBe(200);
    // 08:15Z → 13:45, 08:45Z → 14:15, 22:59Z on Wednesday → 04:29 on Thursday
    expect(res.body.by_hour).toEqual(hours({ 4: 1, 5: 1, 11: 1, 13: 1, 14: 1, 15: 1, 17: 2 }));
    expect(res.body.by_weekday).toEqual([2, 3, 2, 1, 0, 0, 0]);
  });

  it('filters by user and by service', async () => {
    const forAlice = (await api.get(`/admin/analytics/usage?${window}&user_id=${alice.id}`, admin)).body;
    expect(forAlice).toMatchObject({
      user_id: alice.id,
      total: 4,
      successes: 3,
      // Latency is kept per service and model version, not per user.
      latency_ms: null,
    });
    expect(forAlice.top_users).toEqual([{ user_id: alice.id, username: alice.username, calls: 4 }]);
    const v2 = (await api.get(`/admin/analytics/usage?${window}&service=v2`, admin)).body;
    expect(v2).toMatchObject({
      service: 'v2',
      total: 3,
      success_rate: 1,
      by_service: [
        { service: 'v1', calls: 0 },
        { service: 'v2', calls: 3 },
      ],
    });
    const both = (await api.get(`/admin/analytics/usage?${window}&service=v2&user_id=${bob.id}`, admin)).body;
    expect(both).toMatchObject({ total: 2, successes: 2, latency_ms: null });
  });

  it('GET /user/usage shows only your own calls, whatever user_id is asked for', async () => {
    const res = await api.get(`/user/usage?${window}&user_id=${bob.id}`, alice.token);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ user_id: alice.id, total: 4, failures: 1 });
    expect(res.body.top_users).toEqual([{ user_id: alice.id, username: alice.username, calls: 4 }]);
    expect((await api.get(`/user/usage?${window}`, bob.token)).body.total).toBe(3);
  });

  it('defaults to the last 30 days and answers zeros and nulls when there are no calls', async () => {
    const res = await api.get('/admin/analytics/usage', admin);
    expect(res.status).toBe(200);
    const span = Date.parse(res.body.to) - Date.parse(res.body.from);
    expect(span).toBeGreaterThanOrEqual(30 * 86_400_000);
    expect(span).toBeLessThanOrEqual(30 * 86_400_000 + 900_000);
    expect(Date.parse(res.body.from) % 900_000).toBe(0);
    expect(res.body).toMatchObject({
      total: 0,
      success_rate: null,
      latency_ms: { count: 0, p50: null, p95: null, p99: null, max: null },
      top_users: [],
    });
    expect(res.body.per_day.length).toBeGreaterThanOrEqual(30);
  });

  it('is for admins only; the caller needs a token', async () => {
    expect((await api.get('/admin/analytics/usage', alice.token)).status).toBe(403);
    expect((await api.get('/admin/analytics/usage')).status).toBe(401);
    expect((await api.get('/user/usage')).status).toBe(401);
  });

  it.each([
    ['tz=Mars/Olympus_Mons', 'tz'],
    ['service=v3', 'service'],
    ['from=2026-03-05T00:00:00Z&to=2026-03-01T00:00:00Z', 'from'],
    ['from=yesterday', 'from'],
    ['user_id=abc', 'user_id'],
    ['from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'from'],
  ])('bad input %s → 422 naming %s', async (query, field) => {
    const res = await api.get(`/admin/analytics/usage?${query}`, admin);
    expect(res.status).toBe(422);
    expect(res.body.issues.map((i: { path: string[] }) => i.path[0])).toContain(field);
  });
});
