import { createTestDatabase, type TestDatabase, type TestDialect } from '@mlapi/db/testing';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../src/app.ts';
import { loadEnv } from '../src/core/env.ts';

export const testJwtSecret = 'test-secret-of-at-least-thirty-two-bytes!!';
export const superuser = { username: 'superuser@example.com', password: '8888' };

export interface TestServer extends RunningServer {
  database: TestDatabase;
  stop(): Promise<void>;
}

export interface TestServerOptions {
  /**
   * 5xx statuses this test file provokes on purpose (a database outage's 503, say). Any other 5xx the server
   * counted in its own /metrics fails the file when the server stops: a run of the suite leaves none.
   */
  expectedServerErrors?: number[];
}

/** The 5xx replies a server counted in its request metrics, but those expected; as readable lines. */
async function unexpectedServerErrors(server: RunningServer, expected: number[]): Promise<string[]> {
  const { values } = await server.deps.metrics.httpRequests.get();
  return values
    .filter((v) => Number(v.labels.status) >= 500 && !expected.includes(Number(v.labels.status)))
    .map((v) => `${v.labels.method} ${v.labels.route} → ${v.labels.status} (${v.value}×)`);
}

/**
 * The real server on an ephemeral port over a fresh database of the dialect (own SQLite file / PG database). Its
 * `stop()` fails if the server answered a 5xx the test did not declare (see TestServerOptions).
 */
export async function startTestServer(dialect: TestDialect, env: Record<string, string> = {}, options: TestServerOptions = {}): Promise<TestServer> {
  const database = createTestDatabase(dialect);
  const server = await startServer(
    loadEnv({
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
      DATABASE_URL: database.url,
      JWT_SECRET: testJwtSecret,
      BCRYPT_COST: '4',
      LOG_LEVEL: 'silent',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'mlapi-data-')),
      ...env,
    }),
  );
  return {
    ...server,
    database,
    stop: async () => {
      await server.close();
      await database.drop();
      const errors = await unexpectedServerErrors(server, options.expectedServerErrors ?? []);
      if (errors.length) throw new Error(`the server answered with unexpected 5xx statuses:\n  ${errors.join('\n  ')}`);
    },
  };
}

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A tiny REST client over fetch: JSON in, JSON out, optional bearer token or form body. */
export function restClient(baseUrl: string) {
  const call = async (method: string, path: string, opts: { body?: unknown; token?: string; form?: Record<string, string> } = {}): Promise<Reply> => {
    const headers: Record<string, string> = { accept: 'application/json' };
    let body: string | undefined;
    if (opts.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(opts.form).toString();
    } else if (opts.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    const res = await fetch(baseUrl + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body: parsed, headers: res.headers };
  };
  return {
    get: (path: string, token?: string) => call('GET', path, { token }),
    post: (path: string, body?: unknown, token?: string) => call('POST', path, { body, token }),
    put: (path: string, body?: unknown, token?: string) => call('PUT', path, { body, token }),
    delete: (path: string, token?: string) => call('DELETE', path, { token }),
    form: (path: string, form: Record<string, string>) => call('POST', path, { form }),
    call,
  };
}
export type RestClient = ReturnType<typeof restClient>;

let userCounter = 0;

/** Registration bodies with unique usernames. */
export const newUser = (overrides: Record<string, unknown> = {}) => ({
  username: `user${++userCounter}.${Date.now().toString(36)}@example.com`,
  first_name: 'Ada',
  last_name: 'Lovelace',
  password: 'correct horse',
  country: 'UK',
  ...overrides,
});

/** The usual start of a test file: a fresh server of the dialect, a REST client, and the superuser's token. */
export async function signedInServer(dialect: TestDialect, env: Record<string, string> = {}, options: TestServerOptions = {}) {
  const server = await startTestServer(dialect, env, options);
  const api = restClient(server.url);
  return { server, api, admin: await login(api, superuser.username, superuser.password) };
}

export async function login(api: RestClient, username: string, password: string): Promise<string> {
  const res = await api.post('/auth/token', { username, password });
  if (res.status !== 200) throw new Error(`login failed for ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.access_token;
}

/** Registers a user, lets the superuser set their rights, and logs them in. */
export async function userWithRights(
  api: RestClient,
  adminToken: string,
  rights: { is_active?: boolean; has_access_v1?: boolean; has_access_v2?: boolean } = {},
) {
  const body = newUser();
  const created = await api.post('/auth/create', body);
  if (created.status !== 201) throw new Error(`register failed: ${created.status} ${JSON.stringify(created.body)}`);
  if (Object.keys(rights).length) {
    const res = await api.put(`/admin/users/${created.body.id}`, rights, adminToken);
    if (res.status !== 204) throw new Error(`grant failed: ${res.status}`);
  }
  return { id: created.body.id as number, username: body.username, password: body.password, token: await login(api, body.username, body.password) };
}
