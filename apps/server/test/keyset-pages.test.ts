import type { NewCall } from '@mlapi/db';
import { testDialects } from '@mlapi/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInServer, userWithRights, type RestClient, type TestServer } from '@mlapi/server/testing';
import { hamMail } from './fixtures.ts';

/** `count` calls of one owner, `sameTime` of them at each instant (ties broken by id), oldest first. */
const calls = (owner: number, count: number, sameTime: number, start = Date.UTC(2026, 0, 1)): NewCall[] =>
  Array.from({ length: count }, (_, i) => {
    const at = new Date(start + Math.floor(i / sameTime) * 1000);
    return {
      serviceVersion: 'v1',
      success: i % 5 !== 0,
      error: i % 5 === 0 ? 'refused' : null,
      owner,
      requestTime: at,
      completionTime: at,
      duration: 1,
      modelVersion: '1.1.0',
    };
  });

function expectRefused(res: { status: number; body: any }, field: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(422);
  expect(new Set(res.body.issues.map((i: { path: string[] }) => i.path.join('.')))).toEqual(new Set([field]));
  expect(res.body.issues[0].message).toContain(field);
}

describe.each(testDialects)('keyset pages on %s', (dialect) => {
  let server: TestServer;
  let api: RestClient;
  let admin: string;
  beforeAll(async () => ({ server, api, admin } = await signedInServer(dialect)));
  afterAll(() => server.stop());

  /** Every page of a list by cursor: the items, and each reply. */
  async function walk(path: string, token: string) {
    const items: any[] = [];
    const replies: any[] = [];
    for (let cursor: string | null = null; ;) {
      const sep = path.includes('?') ? '&' : '?';
      const res = await api.get(`${path}${cursor ? `${sep}cursor=${cursor}` : ''}`, token);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      replies.push(res.body);
      items.push(...res.body.items);
      cursor = res.body.next_cursor;
      if (!cursor) return { items, replies };
    }
  }

  it('walking the history by cursor gives every call once, in the order of offset pages, ties included', async () => {
    const user = await userWithRights(api, admin, { is_active: true, has_access_v1: true });
    await server.deps.data.callLog.insertBatch(calls(user.id, 23, 4).map((call) => ({ call, predictions: [] })));
    const { items, replies } = await walk('/user/history?limit=5', user.token);
    const byOffset: any[] = [];
    for (let offset = 0; offset < 23; offset += 5)
      byOffset.push(...(await api.get(`/user/history?limit=5&offset=${offset}`, user.token)).body.items);
    expect(items.map((c) => c.id)).toEqual(byOffset.map((c) => c.id));
    expect(new Set(items.map((c) => c.id)).size).toBe(23);
    const times = items.map((c) => Date.parse(c.request_time));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(replies.map((r) => r.items.length)).toEqual([5, 5, 5, 5, 3]);
    expect(replies.every((r) => r.total === 23 && r.total_exact === true && r.offset === 0)).toBe(true);
    // An offset page also says where the next one starts; the last page says none.
    const second = await api.get('/user/history?limit=5&offset=5', user.token);
    expect(second.body.next_cursor).toBe(replies[1].next_cursor);
    expect((await api.get('/user/history?limit=5&offset=20', user.token)).body.next_cursor).toBeNull();
  });

  it('the audit log, the users and the API keys walk by cursor as their offset pages run', async () => {
    const target = await userWithRights(api, admin, { is_active: true });
    for (let i = 0; i < 6; i++) await api.put(`/admin/users/${target.id}`, { has_access_v2: i % 2 === 0 }, admin);
    for (let i = 0; i < 5; i++) await api.post('/user/api-keys', { name: `k${i}`, services: ['v1'] }, target.token);
    for (const path of [
      `/admin/audit?user_id=${target.id}&limit=4`,
      '/admin/audit?limit=3',
      '/admin/users?limit=2',
      '/user/api-keys?limit=2',
    ]) {
      const token = path.startsWith('/user') ? target.token : admin;
      const whole = (await api.get(path.replace(/limit=\d+/, 'limit=500'), token)).body;
      const { items } = await walk(path, token);
      expect(
        items.map((i) => i.id),
        path,
      ).toEqual(whole.items.map((i: { id: number }) => i.id));
      expect(whole.next_cursor).toBeNull();
    }
  });

  it('a cursor that is not one, one of another list, or a cursor with an offset is a 422 naming cursor', async () => {
    const user = await userWithRights(api, admin, { is_active: true });
    const history = (await api.get('/user/history?limit=1', user.token)).body;
    const usersCursor = (await api.get('/admin/users?limit=1', admin)).body.next_cursor as string;
    const timeAndId = Buffer.from(JSON.stringify([Date.now(), 5])).toString('base64url');
    expect(history.next_cursor).toBeNull();
    for (const bad of ['x', '!!!', 'W10', Buffer.from('[1.5]').toString('base64url'), 'W10='.repeat(30)])
      expectRefused(await api.get(`/admin/users?cursor=${encodeURIComponent(bad)}`, admin), 'cursor');
    expectRefused(await api.get(`/admin/audit?cursor=${timeAndId}`, admin), 'cursor');
    expectRefused(await api.get(`/user/history?cursor=${usersCursor}`, user.token), 'cursor');
    const beyondInt32 = Buffer.from('[3000000000]').toString('base64url');
    expectRefused(await api.get(`/admin/users?cursor=${beyondInt32}`, admin), 'cursor');
    expectRefused(await api.get(`/user/api-keys?cursor=${beyondInt32}`, user.token), 'cursor');
    expectRefused(await api.get(`/admin/users?cursor=${usersCursor}&offset=2`, admin), 'cursor');
    // A well-formed position is just a position: past the end is an empty last page.
    const farAhead = Buffer.from('[2147483647]').toString('base64url');
    expect((await api.get(`/admin/users?cursor=${farAhead}`, admin)).body).toMatchObject({
      items: [],
      next_cursor: null,
    });
    expect((await api.get(`/user/history?cursor=${timeAndId}`, user.token)).status).toBe(200);
  });

  it('ids in paths, queries and bodies beyond their columns are a 422 naming the field', async () => {
    expectRefused(await api.get('/admin/users/2147483648', admin), 'user_id');
    expectRefused(await api.get('/admin/audit?user_id=2147483648', admin), 'user_id');
    expectRefused(
      await api.post('/mlservice/v1/feedback', { prediction_id: 2 ** 53, actual: 'ham' }, admin),
      'prediction_id',
    );
    const unknown = await api.post('/mlservice/v1/feedback', { prediction_id: 2 ** 53 - 1, actual: 'ham' }, admin);
    expect(unknown.status).toBe(404);
  });

  it('ids, prediction ids and every count and total are JSON numbers', async () => {
    const user = await userWithRights(api, admin, { is_active: true, has_access_v1: true });
    const one = (await api.post('/mlservice/v1/predict', { text: hamMail }, user.token)).body;
    const batch = (await api.post('/mlservice/v1/predict/batch', { items: [{ text: hamMail }] }, user.token)).body;
    const feedback = (
      await api.post('/mlservice/v1/feedback', { prediction_id: one.prediction_id, actual: 'ham' }, user.token)
    ).body;
    const history = (await api.get('/user/history', user.token)).body;
    const audit = (await api.get('/admin/audit', admin)).body;
    const users = (await api.get('/admin/users', admin)).body;
    const keys = (await api.get('/user/api-keys', admin)).body;
    const numbers = [
      one.prediction_id,
      batch.count,
      batch.items[0].prediction_id,
      feedback.prediction_id,
      ...history.items.flatMap((c: any) => [c.id, c.prediction_id, c.predictions, c.owner_id]),
      ...audit.items.flatMap((a: any) => [a.id, a.actor_id]),
      ...users.items.map((u: any) => u.id),
      ...[history, audit, users, keys].flatMap((p) => [p.total, p.limit, p.offset]),
    ];
    expect(numbers.map((n) => typeof n)).toEqual(numbers.map(() => 'number'));
    expect([history, audit, users, keys].map((p) => typeof p.total_exact)).toEqual(Array(4).fill('boolean'));
  });

  it('past 10,000 rows the total is 10,000 and not exact, and deep pages still come by cursor', async () => {
    const user = await userWithRights(api, admin, { is_active: true, has_access_v1: true });
    await server.deps.data.callLog.insertBatch(calls(user.id, 10_003, 7).map((call) => ({ call, predictions: [] })));
    const first = (await api.get('/user/history?limit=500', user.token)).body;
    expect(first).toMatchObject({ total: 10_000, total_exact: false });
    let cursor = first.next_cursor as string;
    let seen = first.items.length;
    const ids = new Set<number>(first.items.map((c: { id: number }) => c.id));
    while (cursor) {
      const page = (await api.get(`/user/history?limit=500&cursor=${cursor}`, user.token)).body;
      for (const c of page.items) ids.add(c.id);
      seen += page.items.length;
      cursor = page.next_cursor;
    }
    expect(seen).toBe(10_003);
    expect(ids.size).toBe(10_003);
    const small = await userWithRights(api, admin, { is_active: true });
    expect((await api.get('/user/history', small.token)).body).toMatchObject({ total: 0, total_exact: true });
  }, 60_000);
});
