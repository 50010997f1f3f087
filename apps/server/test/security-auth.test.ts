import { testDialects, type TestDialect } from '@mlapi/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  login,
  newUser,
  restClient,
  signedInServer,
  startTestServer,
  superuser,
  userWithRights,
  type RestClient,
  type TestServer,
} from '@mlapi/server/testing';
import { house } from './fixtures.ts';

/**
 * Regression tests of the security review: each `it` is named after the finding it pins. Concurrent cases fire
 * their requests at once (one connection each), as an attacker would.
 */

const statuses = (replies: { status: number }[]) => replies.map((r) => r.status).sort((a, b) => a - b);
const count = (list: number[], status: number) => list.filter((s) => s === status).length;
const mail = {
  text: 'Subject: minutes\n\nThe minutes of the design review are attached; the action items are at the end.',
};

describe.each(testDialects)('security: throttling, API keys, audit, last admin on %s', (dialect) => {
  let server: TestServer;
  let api: RestClient;
  let admin: string;
  // Per-username limit 10 (the default); the per-address limit is off here, it has a server of its own below.
  beforeAll(async () => ({ server, api, admin } = await signedInServer(dialect, { LOGIN_MAX_FAILURES_PER_IP: '0' })));
  afterAll(() => server.stop());

  describe('login throttling is counted before the password check', () => {
    it('30 concurrent wrong passwords for one username get exactly 10 password checks', async () => {
      const user = newUser();
      await api.post('/auth/create', user);
      const replies = await Promise.all(
        Array.from({ length: 30 }, () =>
          api.post('/auth/token', { username: user.username, password: 'wrong password' }),
        ),
      );
      const got = statuses(replies);
      expect(count(got, 401)).toBe(10);
      expect(count(got, 429)).toBe(20);
      expect(Number(replies.find((r) => r.status === 429)!.headers.get('retry-after'))).toBeGreaterThan(0);
      // The right password is not checked either while the username is throttled.
      expect((await api.post('/auth/token', { username: user.username, password: user.password })).status).toBe(429);
    });

    it('a successful login clears the failures of its username', async () => {
      const user = newUser();
      await api.post('/auth/create', user);
      for (let i = 0; i < 9; i++)
        expect((await api.post('/auth/token', { username: user.username, password: 'wrong password' })).status).toBe(
          401,
        );
      expect((await api.post('/auth/token', { username: user.username, password: user.password })).status).toBe(200);
      for (let i = 0; i < 10; i++)
        expect((await api.post('/auth/token', { username: user.username, password: 'wrong password' })).status).toBe(
          401,
        );
      expect((await api.post('/auth/token', { username: user.username, password: 'wrong password' })).status).toBe(429);
    });

    it('long usernames do not switch throttling off: a 254-character username is counted like any other', async () => {
      const user = newUser({ username: `${'a'.repeat(242)}@example.com` });
      expect(user.username).toHaveLength(254);
      expect((await api.post('/auth/create', user)).status).toBe(201);
      const got = statuses(
        await Promise.all(
          Array.from({ length: 12 }, () =>
            api.post('/auth/token', { username: user.username, password: 'wrong password' }),
          ),
        ),
      );
      expect(got).toEqual([...Array(10).fill(401), 429, 429]);
      expect((await api.post('/auth/token', { username: user.username, password: user.password })).status).toBe(429);
      // Longer than any registered username can be: refused as input, never a database error.
      const tooLong = await api.post('/auth/token', {
        username: `${'a'.repeat(300)}@example.com`,
        password: 'wrong password',
      });
      expect(tooLong.status).toBe(422);
      expect(tooLong.body.issues[0].path).toEqual(['username']);
    });
  });

  describe('the current-password check of PUT /user/password is throttled with logins', () => {
    it('30 concurrent wrong current passwords get exactly 10 checks, then login is throttled too', async () => {
      const user = await userWithRights(api, admin);
      const replies = await Promise.all(
        Array.from({ length: 30 }, () =>
          api.put('/user/password', { password: 'not my password', new_password: 'another secret 1' }, user.token),
        ),
      );
      const got = statuses(replies);
      expect(count(got, 403)).toBe(10);
      expect(count(got, 429)).toBe(20);
      expect(
        (await api.put('/user/password', { password: user.password, new_password: 'another secret 1' }, user.token))
          .status,
      ).toBe(429);
      expect((await api.post('/auth/token', { username: user.username, password: user.password })).status).toBe(429);
    });

    it('a right current password changes it and clears the count', async () => {
      const user = await userWithRights(api, admin);
      for (let i = 0; i < 9; i++)
        expect(
          (await api.put('/user/password', { password: 'nope nope', new_password: 'another secret 1' }, user.token))
            .status,
        ).toBe(403);
      expect(
        (await api.put('/user/password', { password: user.password, new_password: 'another secret 1' }, user.token))
          .status,
      ).toBe(204);
      expect((await api.post('/auth/token', { username: user.username, password: 'another secret 1' })).status).toBe(
        200,
      );
    });
  });

  describe('an API key is for the model services', () => {
    const keyApi = (key: string) => {
      const call = async (method: string, path: string, body?: unknown) => {
        const res = await fetch(server.url + path, {
          method,
          headers: { 'x-api-key': key, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await res.text();
        return { status: res.status, body: text ? JSON.parse(text) : undefined };
      };
      return call;
    };

    it('a service-scoped API key cannot mint a wider key (nor list, revoke, or change the password)', async () => {
      const user = await userWithRights(api, admin, { is_active: true, has_access_v1: true, has_access_v2: true });
      const created = await api.post('/user/api-keys', { name: 'v1 only', services: ['v1'] }, user.token);
      expect(created.status).toBe(201);
      const withKey = keyApi(created.body.key);
      const minted = await withKey('POST', '/user/api-keys', { name: 'wider', services: ['v1', 'v2'] });
      expect(minted.status).toBe(403);
      expect(minted.body.message).toMatch(/API keys may call the model services/);
      expect((await withKey('GET', '/user/api-keys')).status).toBe(403);
      expect((await withKey('DELETE', `/user/api-keys/${created.body.id}`)).status).toBe(403);
      expect(
        (await withKey('PUT', '/user/password', { password: user.password, new_password: 'taken over 1' })).status,
      ).toBe(403);
      // What a key is for still works, within its scope.
      expect((await withKey('POST', '/mlservice/v1/predict', mail)).status).toBe(200);
      expect((await withKey('POST', '/mlservice/v2/predict', house)).status).toBe(403);
      expect((await api.get('/user/api-keys', user.token)).body.total).toBe(1);
    });

    it("an admin's leaked API key works on no admin route, only on the services and its owner's own reads", async () => {
      const created = await api.post('/user/api-keys', { name: 'admin script', services: ['v1', 'v2'] }, admin);
      const withKey = keyApi(created.body.key);
      const victim = await userWithRights(api, admin);
      const adminRoutes: [string, string, unknown?][] = [
        ['GET', '/admin/users'],
        ['GET', `/admin/users/${victim.id}`],
        ['PUT', `/admin/users/${victim.id}`, { is_active: true, has_access_v1: true }],
        ['PUT', `/admin/users/${victim.id}/role`, { role: 'admin' }],
        ['PUT', `/admin/users/${victim.id}/quota`, { calls_per_minute: 0 }],
        ['DELETE', `/admin/users/${victim.id}`],
        ['POST', '/admin/create', newUser()],
        ['GET', '/admin/audit'],
        ['GET', '/admin/analytics/usage'],
        ['GET', '/admin/models'],
        ['POST', '/admin/models/v1/reload'],
        ['GET', '/mlservice/v1/metrics'],
      ];
      for (const [method, path, body] of adminRoutes) {
        const reply = await withKey(method, path, body);
        expect({ route: `${method} ${path}`, status: reply.status }).toEqual({
          route: `${method} ${path}`,
          status: 403,
        });
        expect(reply.body.message).toMatch(/API keys may call the model services/);
      }
      expect((await api.get(`/admin/users/${victim.id}`, admin)).body).toMatchObject({
        is_active: false,
        role: 'user',
      });
      // Over /trpc the same rule holds.
      const trpc = await fetch(`${server.url}/trpc/admin.list`, { headers: { 'x-api-key': created.body.key } });
      expect(trpc.status).toBe(403);
      // The owner's own profile, history and usage, and the services.
      for (const path of ['/user', '/user/history', '/user/usage', '/mlservice/v2/model'])
        expect((await withKey('GET', path)).status).toBe(200);
      const predicted = await withKey('POST', '/mlservice/v2/predict', house);
      expect(predicted.status).toBe(200);
      expect(
        (await withKey('POST', '/mlservice/v2/feedback', { prediction_id: predicted.body.prediction_id, actual: 20 }))
          .status,
      ).toBe(200);
    });

    it('feedback with an API key needs the key scoped to that service', async () => {
      const user = await userWithRights(api, admin, { is_active: true, has_access_v1: true, has_access_v2: true });
      const predicted = await api.post('/mlservice/v2/predict', house, user.token);
      const v1Key = (await api.post('/user/api-keys', { name: 'v1', services: ['v1'] }, user.token)).body.key;
      const refused = await keyApi(v1Key)('POST', '/mlservice/v2/feedback', {
        prediction_id: predicted.body.prediction_id,
        actual: 20,
      });
      expect(refused.status).toBe(403);
      expect(refused.body.message).toContain('not scoped to service v2');
      expect((await keyApi(v1Key)('GET', '/mlservice/v2/model')).status).toBe(403);
    });
  });

  describe('admin changes never escape the audit log', () => {
    const auditOf = async (userId: number) => (await api.get(`/admin/audit?user_id=${userId}`, admin)).body.items;

    it('an unstorable extra field (10,000-deep object, NUL, lone surrogate) is dropped: the change is audited with its parsed input only', async () => {
      const user = await userWithRights(api, admin);
      const deep = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
      const body = `{"is_active":true,"deep":${deep},"nul":"a\\u0000b","lone":"\\ud800"}`;
      const res = await fetch(`${server.url}/admin/users/${user.id}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        body,
      });
      expect(res.status).toBe(204);
      const [entry] = await auditOf(user.id);
      expect(entry).toMatchObject({ action: 'admin.update', target_user_id: user.id, details: { is_active: true } });
      expect(Object.keys(entry.details)).toEqual(['is_active']);
      expect((await api.get(`/admin/users/${user.id}`, admin)).body.is_active).toBe(true);
    });

    it('a quota change is audited with what the schema parsed (defaults and all), never the raw request', async () => {
      const user = await userWithRights(api, admin);
      expect(
        (await api.put(`/admin/users/${user.id}/quota`, { calls_per_minute: 5, comment: 'x'.repeat(1000) }, admin))
          .status,
      ).toBe(204);
      const [entry] = await auditOf(user.id);
      expect(entry).toMatchObject({ action: 'admin.updateQuota', details: { calls_per_minute: 5 } });
      expect(JSON.stringify(entry)).not.toContain('xxxx');
    });
  });

  describe('the last-admin rule holds under concurrency', () => {
    /** Two fresh admins who are the only active admins: `survivor` makes them, and one of them removes `survivor`. */
    async function twoLastAdmins(survivor: string) {
      const a = newUser();
      const b = newUser();
      const aId = (await api.post('/admin/create', a, survivor)).body.id as number;
      const bId = (await api.post('/admin/create', b, survivor)).body.id as number;
      const aToken = await login(api, a.username, a.password);
      const bToken = await login(api, b.username, b.password);
      const me = (await api.get('/user', survivor)).body.id as number;
      expect((await api.delete(`/admin/users/${me}`, aToken)).status).toBe(204);
      return { a: { id: aId, token: aToken }, b: { id: bId, token: bToken } };
    }

    const activeAdmins = async (token: string) =>
      (await api.get('/admin/users?limit=500', token)).body.items.filter(
        (u: { role: string; is_active: boolean }) => u.role === 'admin' && u.is_active,
      );

    const changes = {
      delete: (id: number, token: string) => api.delete(`/admin/users/${id}`, token),
      deactivate: (id: number, token: string) => api.put(`/admin/users/${id}`, { is_active: false }, token),
      demote: (id: number, token: string) => api.put(`/admin/users/${id}/role`, { role: 'user' }, token),
    };

    it('two admins deleting, deactivating or demoting each other at the same moment leave one active admin', async () => {
      let survivor = admin;
      for (const [name, change] of Object.entries(changes)) {
        for (let round = 0; round < 3; round++) {
          const { a, b } = await twoLastAdmins(survivor);
          const replies = await Promise.all([change(b.id, a.token), change(a.id, b.token)]);
          const got = statuses(replies);
          expect({ change: name, round, succeeded: count(got, 204) }).toEqual({ change: name, round, succeeded: 1 });
          expect(got.every((s) => s === 204 || s === 401 || s === 403)).toBe(true);
          survivor = replies[0].status === 204 ? a.token : b.token;
          expect(await activeAdmins(survivor)).toHaveLength(1);
        }
      }
      // The last one standing can still not remove themself.
      const me = (await api.get('/user', survivor)).body.id as number;
      expect((await api.delete(`/admin/users/${me}`, survivor)).status).toBe(403);
    });
  });
});

describe.each(testDialects)('security: throttling per client address on %s', (dialect: TestDialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect, { LOGIN_MAX_FAILURES_PER_IP: '10', LOGIN_MAX_FAILURES_PER_USERNAME: '0' });
  });
  afterAll(() => server.stop());

  it('30 concurrent wrong logins from one address, each for another username, get exactly 10 password checks', async () => {
    const api = restClient(server.url);
    const replies = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        api.post('/auth/token', { username: `nobody${i}@example.com`, password: 'guess guess' }),
      ),
    );
    const got = statuses(replies);
    expect(count(got, 401)).toBe(10);
    expect(count(got, 429)).toBe(20);
    expect((await api.post('/auth/token', superuser)).status).toBe(429);
  });
});

describe.each(testDialects)('security: an admin change and its audit row commit together on %s', (dialect) => {
  let server: TestServer;
  let api: RestClient;
  let admin: string;
  // The database is made to refuse audit rows, so the refused changes answer 500 on purpose.
  beforeAll(async () => ({ server, api, admin } = await signedInServer(dialect, {}, { expectedServerErrors: [500] })));
  afterAll(() => server.stop());

  const refuseAuditRows =
    dialect === 'sqlite'
      ? [`create trigger refuse_audit before insert on audit_logs begin select raise(abort, 'audit refused'); end`]
      : [
          `create function refuse_audit() returns trigger language plpgsql as $$ begin raise exception 'audit refused'; end $$`,
          `create trigger refuse_audit before insert on audit_logs for each row execute function refuse_audit()`,
        ];
  const allowAuditRows =
    dialect === 'sqlite'
      ? ['drop trigger refuse_audit']
      : ['drop trigger refuse_audit on audit_logs', 'drop function refuse_audit()'];
  const run = async (statements: string[]) => {
    for (const sql of statements) await server.deps.db.orm.em.getConnection().execute(sql);
  };

  it('when the audit row cannot be written, the change is not made either', async () => {
    const user = await userWithRights(api, admin);
    const before = (await api.get(`/admin/audit?user_id=${user.id}`, admin)).body.total;
    await run(refuseAuditRows);
    try {
      const granted = await api.put(`/admin/users/${user.id}`, { is_active: true, has_access_v2: true }, admin);
      expect(granted.status).toBe(500);
      expect(JSON.stringify(granted.body)).not.toContain('audit refused');
      expect((await api.delete(`/admin/users/${user.id}`, admin)).status).toBe(500);
      expect((await api.post('/admin/create', newUser(), admin)).status).toBe(500);
    } finally {
      await run(allowAuditRows);
    }
    expect((await api.get(`/admin/users/${user.id}`, admin)).body).toMatchObject({
      is_active: false,
      has_access_v2: false,
    });
    expect((await api.get(`/admin/audit?user_id=${user.id}`, admin)).body.total).toBe(before);
    expect(
      (await api.get('/admin/users?limit=500', admin)).body.items.filter((u: { role: string }) => u.role === 'admin'),
    ).toHaveLength(1);
  });
});
