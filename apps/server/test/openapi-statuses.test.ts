import { testDialects } from '@mlapi/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newUser, signedInServer, userWithRights, type RestClient, type TestServer } from '@mlapi/server/testing';

type Operation = {
  requestBody?: { content: Record<string, { example?: unknown }> };
  responses: Record<string, unknown>;
  parameters?: { in: string; name: string }[];
};

/**
 * Calls every route of the OpenAPI document the ways a client gets it wrong (no credentials, a bad token, an API
 * key where none is accepted, a user without rights, invalid input, a body that is not JSON, the wrong content
 * type, a body over the limit, an id that does not exist) and the way it gets it right (the document's own
 * example), and checks that every status the server answers is one the document lists for that operation.
 */
describe.each(testDialects)('the OpenAPI document lists every status each route answers, on %s', (dialect) => {
  let server: TestServer;
  let api: RestClient;
  let admin: string;
  let doc: { paths: Record<string, Record<string, Operation>> };
  beforeAll(async () => {
    // A small body limit, so a body over it is cheap to send.
    ({ server, api, admin } = await signedInServer(dialect, {
      MAX_BODY_BYTES: '4096',
      LOGIN_MAX_FAILURES_PER_IP: '0',
    }));
    doc = (await api.get('/openapi.json')).body;
  });
  afterAll(() => server.stop());

  async function send(
    method: string,
    path: string,
    init: { auth?: Record<string, string>; type?: string; body?: string } = {},
  ) {
    const headers: Record<string, string> = { ...init.auth };
    if (init.type) headers['content-type'] = init.type;
    const res = await fetch(server.url + path, { method, headers, body: init.body });
    await res.arrayBuffer();
    return res.status;
  }

  it('every operation answers only documented statuses, and the statuses seen cover the document', async () => {
    const keyReply = await api.post('/user/api-keys', { name: 'probe', services: ['v1', 'v2'] }, admin);
    const adminKey = { 'x-api-key': keyReply.body.key as string };
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    const plain = await userWithRights(api, admin);
    const seen = new Map<string, Set<number>>();
    const undocumented: string[] = [];

    for (const [template, methods] of Object.entries(doc.paths)) {
      for (const [lower, op] of Object.entries(methods)) {
        const method = lower.toUpperCase();
        const name = `${method} ${template}`;
        const documented = new Set(Object.keys(op.responses).map(Number));
        const statuses = new Set<number>();
        seen.set(name, statuses);
        const record = (status: number, probe: string) => {
          statuses.add(status);
          if (!documented.has(status)) undocumented.push(`${name} (${probe}) → ${status}`);
        };

        // Path parameters: a fresh target user (deletes and role changes hit nobody else), an own key, a service.
        const target = template.includes('{user_id}') ? (await api.post('/auth/create', newUser())).body.id : undefined;
        const key = template.includes('{key_id}')
          ? (await api.post('/user/api-keys', { name: 'to revoke', services: ['v1'] }, admin)).body.id
          : undefined;
        const path = (missing = false) =>
          template
            .replace('{user_id}', String(missing ? 2_000_000_000 : target))
            .replace('{key_id}', String(missing ? 2_000_000_000 : key))
            .replace('{job_id}', String(missing ? 2_000_000_000 : 1))
            .replace('{service}', 'v1');
        const json = op.requestBody?.content['application/json'];
        const form = op.requestBody?.content['application/x-www-form-urlencoded'];
        const example = json?.example ?? (form ? form.example : undefined);
        const valid = example === undefined ? {} : { type: 'application/json', body: JSON.stringify(example) };
        const hasBody = Boolean(op.requestBody);

        record(await send(method, path(), valid), 'no credentials');
        record(await send(method, path(), { ...valid, auth: bearer('not-a-token') }), 'bad token');
        record(await send(method, path(), { ...valid, auth: adminKey }), "an admin's API key");
        record(await send(method, path(), { ...valid, auth: bearer(plain.token) }), 'a user without rights');
        if (hasBody) {
          record(
            await send(method, path(), { auth: bearer(admin), type: 'application/json', body: '{"a":' }),
            'malformed JSON',
          );
          record(await send(method, path(), { auth: bearer(admin), type: 'text/plain', body: 'hello' }), 'text/plain');
          record(
            await send(method, path(), {
              auth: bearer(admin),
              type: 'application/json',
              body: JSON.stringify({ pad: 'x'.repeat(5000) }),
            }),
            'over the limit',
          );
          record(
            await send(method, path(), {
              auth: bearer(admin),
              type: 'application/json',
              body: JSON.stringify({ unknown: 1, items: 'x', text: 5, username: 7 }),
            }),
            'invalid input',
          );
        } else if (op.parameters?.some((p) => p.in === 'query')) {
          record(
            await send(method, `${path()}?limit=abc&from=yesterday&user_id=-1`, { auth: bearer(admin) }),
            'invalid query',
          );
        }
        if (['{user_id}', '{key_id}', '{job_id}'].some((param) => template.includes(param)))
          record(await send(method, path(true), { ...valid, auth: bearer(admin) }), 'no such id');
        // The right way, last: it may change or delete the target. The password change is made by its own user.
        if (template === '/user/password') {
          const user = await userWithRights(api, admin);
          const body = JSON.stringify({ password: user.password, new_password: 'a brand new passphrase' });
          record(
            await send(method, path(), { auth: bearer(user.token), type: 'application/json', body }),
            'the example',
          );
        } else if (form) {
          record(
            await send(method, path(), {
              type: 'application/x-www-form-urlencoded',
              body: new URLSearchParams(form.example as Record<string, string>).toString(),
            }),
            'the example',
          );
        } else {
          record(await send(method, path(), { ...valid, auth: bearer(admin) }), 'the example');
        }
      }
    }

    expect(undocumented).toEqual([]);
    const all = new Set([...seen.values()].flatMap((s) => [...s]));
    for (const status of [200, 201, 204, 400, 401, 403, 404, 409, 413, 415, 422])
      expect({ status, seen: all.has(status) }).toEqual({ status, seen: true });
    // Every success status the document gives was answered to its example (a second registration of the example
    // user is a 409; feedback on the example's prediction id is a 404 unless that prediction is of its service; a
    // rollout's example names a version this fresh server has not registered: 404; a retraining job, job 1, exists
    // only once the retraining route was tried).
    for (const [name, statuses] of seen) {
      const [method, template] = name.split(' ') as [string, string];
      const success = Object.keys(doc.paths[template]![method.toLowerCase()]!.responses)
        .map(Number)
        .find((s) => s < 300)!;
      const answered =
        statuses.has(success) ||
        statuses.has(409) ||
        (['/feedback', '/rollout', '{job_id}'].some((end) => template.endsWith(end)) && statuses.has(404));
      expect({ name, answered }).toEqual({ name, answered: true });
    }
  });

  it('a 400 for a body that is not JSON says where the parser stopped', async () => {
    const res = await fetch(`${server.url}/auth/create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"username": "ada@example.com",}',
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { message: string; code: string; position: number };
    expect(body).toMatchObject({ code: 'BAD_REQUEST', position: 31 });
    expect(body.message).toBe(
      'request body is not valid JSON: a property name (in double quotes) expected at position 31',
    );
  });

  it('missing fields are "… is required" and library wording never leaks', async () => {
    const missing = await api.post('/mlservice/v2/predict', { crim: 0.1 }, admin);
    expect(missing.status).toBe(422);
    expect(missing.body.issues.find((i: { path: string[] }) => i.path[0] === 'rm').message).toBe('rm is required');
    expect((await api.post('/mlservice/v1/predict', {}, admin)).body.issues[0].message).toBe('text is required');
    const limit = await api.get('/admin/users?limit=501', admin);
    expect(limit.body.issues[0].message).toBe('limit must be at most 500');
    const nan = await api.get('/admin/users?limit=abc', admin);
    expect(nan.body.issues[0].message).toBe('limit must be a number');
    const services = await api.post('/user/api-keys', { name: 'k', services: ['v3'] }, admin);
    expect(services.body.issues[0]).toMatchObject({
      path: ['services', 0],
      message: 'services.0 must be one of: v1, v2',
    });
    for (const reply of [missing, limit, nan, services])
      expect(reply.body.message).not.toMatch(/expected|received|Too big|Invalid option/);
  });

  it('from and to take a date (midnight UTC) or a date-time, on every route with a window', async () => {
    const byDate = await api.get('/admin/analytics/usage?from=2025-01-01&to=2025-01-31', admin);
    expect(byDate.status).toBe(200);
    expect(byDate.body).toMatchObject({ from: '2025-01-01T00:00:00.000Z', to: '2025-01-31T00:00:00.000Z' });
    expect(
      (await api.get('/mlservice/v1/metrics?from=2025-01-01&to=2025-02-01T12:00:00%2B02:00', admin)).body,
    ).toMatchObject({
      from: '2025-01-01T00:00:00.000Z',
      to: '2025-02-01T10:00:00.000Z',
    });
    const bad = await api.get('/admin/analytics/usage?from=2025-02-30', admin);
    expect(bad.status).toBe(422);
    expect(bad.body.issues[0].message).toMatch(/^from must be a date such as 2025-01-01/);
  });
});
