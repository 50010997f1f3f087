import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restRoutes, type RestRoute } from '../src/http/rest/rest-routes.ts';
import { appRouter } from '../src/app-router.ts';
import { login, restClient, startTestServer, superuser, type TestServer } from '@mlapi/server/testing';

/**
 * Property-based fuzzing of every REST route (from `restRoutes(appRouter)`): random and malformed JSON, wrong
 * types, huge strings, unicode, nulls, odd path parameters and query strings, with no token, a garbage one or an
 * admin's. The server must never answer 5xx nor leak a stack trace; a body over MAX_BODY_BYTES is a 413.
 */
const maxBody = 8192;
const routes = restRoutes(appRouter);
const stackLike = /\bat .+\(.*:\d+:\d+\)|node_modules|\.ts:\d+/;

const scalar = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('', '-1', '0', '1e309', 'NaN', 'true', '__proto__', 'constructor', '2024-13-45', 'x'.repeat(3000)),
);
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    scalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 12 }), tie('value'), { maxKeys: 5 }),
  ),
})).value;
/** An object whose keys are partly the route's real field names, so schemas get past the first check sometimes. */
const fieldNames = [
  'text',
  'items',
  'username',
  'password',
  'new_password',
  'first_name',
  'last_name',
  'is_active',
  'has_access_v1',
  'role',
  'prediction_id',
  'actual',
  'name',
  'services',
  'limit',
  'offset',
  'from',
  'to',
  'calls_per_minute',
  'crim',
  'rm',
];
const objectBody = fc.dictionary(fc.oneof(fc.constantFrom(...fieldNames), fc.string({ maxLength: 10 })), json, {
  maxKeys: 6,
});
const body = fc.oneof(
  objectBody.map((o) => ({ raw: JSON.stringify(o), type: 'application/json' })),
  json.map((v) => ({ raw: JSON.stringify(v) ?? 'null', type: 'application/json' })),
  fc.string({ maxLength: 200 }).map((s) => ({ raw: s, type: 'application/json' })),
  fc
    .constantFrom('{', '{"text":', '[1,2', '{"a":1}}', '\u0000', 'null', '""', '{"items":[null]}')
    .map((raw) => ({ raw, type: 'application/json' })),
  objectBody.map((o) => ({
    raw: new URLSearchParams(
      Object.entries(o).map(([k, v]) => [k, typeof v === 'string' ? v : (JSON.stringify(v) ?? '')]),
    ).toString(),
    type: 'application/x-www-form-urlencoded',
  })),
  fc
    .tuple(fc.string({ maxLength: 50 }), fc.constantFrom('text/plain', 'application/xml', 'multipart/form-data', ''))
    .map(([raw, type]) => ({ raw, type })),
);
const segment = fc.oneof(
  fc.integer({ min: -5, max: 1_000_000 }).map(String),
  fc.string({ maxLength: 20 }).map(encodeURIComponent),
  fc.constantFrom('%', '%E0%A4%A', '%00', '..', '1.5', '9'.repeat(400), '%F0%9F%92%A9', '0x10'),
);
const query = fc.array(
  fc.tuple(
    fc.constantFrom('limit', 'offset', 'from', 'to', 'user_id', 'model_version', 'x'),
    fc.oneof(
      scalar.map((v) => encodeURIComponent(String(v))),
      segment,
    ),
  ),
  { maxLength: 4 },
);

function pathOf(route: RestRoute, params: string[]): string {
  let i = 0;
  return route.template.replace(/\{[^}]+\}/g, () => params[i++] ?? '1');
}

describe('REST fuzzing (fast-check)', () => {
  let server: TestServer;
  let admin: string;
  beforeAll(async () => {
    server = await startTestServer('sqlite', {
      MAX_BODY_BYTES: String(maxBody),
      DEFAULT_CALLS_PER_MINUTE: '0',
      DEFAULT_CALLS_PER_DAY: '0',
      LOGIN_MAX_FAILURES_PER_IP: '0',
      LOGIN_MAX_FAILURES_PER_USERNAME: '0',
    });
    admin = await login(restClient(server.url), superuser.username, superuser.password);
  });
  afterAll(() => server.stop());

  async function send(
    method: string,
    path: string,
    token: string | undefined,
    payload?: { raw: string; type: string },
  ) {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (payload?.type) headers['content-type'] = payload.type;
    const res = await fetch(server.url + path, {
      method,
      headers,
      body: payload?.raw,
      signal: AbortSignal.timeout(10_000),
    });
    return { status: res.status, text: await res.text() };
  }

  it('every route, any input: never a 5xx, never a stack trace', async () => {
    const route = fc.constantFrom(...routes);
    const token = fc.constantFrom<'admin' | 'none' | 'garbage'>('admin', 'admin', 'none', 'garbage');
    await fc.assert(
      fc.asyncProperty(
        route,
        fc.array(segment, { minLength: 2, maxLength: 2 }),
        query,
        body,
        token,
        async (r, params, q, b, who) => {
          const search = q.length ? '?' + q.map(([k, v]) => `${k}=${v}`).join('&') : '';
          const bearer = who === 'admin' ? admin : who === 'garbage' ? 'x.y.z' : undefined;
          const hasBody = r.method !== 'GET' && r.method !== 'DELETE';
          const res = await send(r.method, pathOf(r, params) + search, bearer, hasBody ? b : undefined);
          expect(res.status, `${r.method} ${r.template}: ${res.text}`).toBeLessThan(500);
          expect(res.text).not.toMatch(stackLike);
        },
      ),
      { numRuns: 800 },
    );
  });

  it(`a body over MAX_BODY_BYTES (${maxBody}) is a 413 on every route that takes one, naming the limit`, async () => {
    const big = JSON.stringify({ text: 'x'.repeat(maxBody + 10) });
    for (const r of routes.filter((x) => x.method === 'POST' || x.method === 'PUT')) {
      const res = await send(r.method, pathOf(r, ['1', '1']), admin, { raw: big, type: 'application/json' });
      if (r.voidInput) continue;
      if (r.upload) {
        // A model upload has its own limit (MAX_UPLOAD_BYTES): this body is read, and refused as no upload.
        expect(res.status, `${r.method} ${r.template}`).toBe(422);
        continue;
      }
      expect(res.status, `${r.method} ${r.template}`).toBe(413);
      expect(res.text).toContain('MAX_BODY_BYTES');
    }
  });

  it('unknown paths and wrong methods never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'),
        fc.array(segment, { maxLength: 4 }),
        async (method, parts) => {
          const res = await send(method, '/' + parts.join('/'), admin);
          expect(res.status).toBeLessThan(500);
          expect(res.text).not.toMatch(stackLike);
        },
      ),
      { numRuns: 100 },
    );
  });
});
