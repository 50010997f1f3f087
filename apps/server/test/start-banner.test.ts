import { createTestDatabase } from '@mlapi/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { startBanner } from '../src/ops/start-banner.ts';
import { startTestServer, type TestServer } from '@mlapi/server/testing';

describe('the start-up banner a person sees on a terminal', () => {
  const servers: TestServer[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    for (const cleanup of cleanups) await cleanup();
  });

  it('names the docs, the dashboard, the database and the models, and how to sign in the first time', async () => {
    const server = await startTestServer('sqlite');
    servers.push(server);
    const banner = startBanner(server, '9.9.9');
    expect(banner).toContain(`mlapi 9.9.9 is listening on ${server.url}`);
    expect(banner).toContain(`API docs   ${server.url}/docs`);
    expect(banner).toContain(`Dashboard  ${server.url}/dashboard`);
    expect(banner).toMatch(/Database {3}SQLite, \/.*\.sqlite/);
    expect(banner).toMatch(/Models {5}v1 \S+ \d+\.\d+\.\d+ · v2 \S+ \d+\.\d+\.\d+/);
    expect(banner).toContain('development password 8888');
  });

  it('never shows a password the database URL carries, nor the development password once one is set', async () => {
    // Trust authentication ignores the password, so this URL reaches the machine's PostgreSQL as it is.
    const database = createTestDatabase('postgresql');
    const withPassword = database.url.replace('://postgres@', '://postgres:s3cret-in-url@');
    expect(withPassword).toContain('s3cret-in-url');
    const server = await startTestServer('postgresql', {
      DATABASE_URL: withPassword,
      SUPERUSER_PASSWORD: 'a long chosen password',
    });
    servers.push(server);
    cleanups.push(() => database.drop());
    const banner = startBanner(server, '1.0.0');
    expect(banner).toMatch(/Database {3}PostgreSQL, 127\.0\.0\.1:5432\//);
    expect(banner).not.toContain('s3cret');
    expect(banner).not.toContain('8888');
  });
});
