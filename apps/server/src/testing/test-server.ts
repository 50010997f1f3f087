/** The real server for tests: started in this process over a fresh database of the dialect. */
import { createTestDatabase, type TestDatabase, type TestDialect } from '@mlapi/db/testing';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../app.ts';
import { loadEnv } from '../core/env.ts';
import { login, restClient } from './rest-client.ts';

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

/** A test server's configuration over `databaseUrl` (ephemeral port, fast bcrypt, silent, own DATA_DIR), `env` on top. */
export function testServerEnv(databaseUrl: string, env: Record<string, string> = {}) {
  return loadEnv({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: databaseUrl,
    JWT_SECRET: testJwtSecret,
    BCRYPT_COST: '4',
    LOG_LEVEL: 'silent',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'mlapi-data-')),
    // Tests log calls at fixed past dates: no pruning under them unless a test asks for it.
    RETENTION_DAYS: '0',
    ...env,
  });
}

/**
 * The real server on an ephemeral port over a fresh database of the dialect (own SQLite file / PG database). Its
 * `stop()` fails if the server answered a 5xx the test did not declare (see TestServerOptions).
 */
export async function startTestServer(
  dialect: TestDialect,
  env: Record<string, string> = {},
  options: TestServerOptions = {},
): Promise<TestServer> {
  const database = createTestDatabase(dialect);
  const server = await startServer(testServerEnv(database.url, env));
  return {
    ...server,
    database,
    stop: async () => {
      // No proxy in front: idle sockets of the test's own client may close at once.
      await server.close({ idleGraceMs: 0 });
      await database.drop();
      const errors = await unexpectedServerErrors(server, options.expectedServerErrors ?? []);
      if (errors.length) throw new Error(`the server answered with unexpected 5xx statuses:\n  ${errors.join('\n  ')}`);
    },
  };
}

/** The usual start of a test file: a fresh server of the dialect, a REST client, and the superuser's token. */
export async function signedInServer(
  dialect: TestDialect,
  env: Record<string, string> = {},
  options: TestServerOptions = {},
) {
  const server = await startTestServer(dialect, env, options);
  const api = restClient(server.url);
  return { server, api, admin: await login(api, superuser.username, superuser.password) };
}
