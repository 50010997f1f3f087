import { openDatabase } from '@mlapi/db';
import { createTestDatabase, postgresDatabaseExists, testDialects, testPostgresBase } from '@mlapi/db/testing';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { testJwtSecret } from '@mlapi/server/testing';
import { spawnServer } from './spawn-server.ts';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

/** The environment of this test run without the settings a test must choose itself. */
function baseEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of [
    'JWT_SECRET',
    'DATABASE_URL',
    'DATA_DIR',
    'PORT',
    'HOST',
    'CORS_ORIGINS',
    'LOG_LEVEL',
    'LOG_FORMAT',
  ])
    delete env[name];
  return env;
}

/** The real server process; resolves with its exit code and stderr. `onLine` sees each stderr line as it comes. */
function run(env: Record<string, string>, onLine: (line: string) => void = () => {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    env: { ...baseEnv(), NODE_ENV: 'test', BCRYPT_COST: '4', LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  let pending = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop()!;
    lines.forEach(onLine);
  });
  const exited = new Promise<{ code: number | null; stderr: string }>((done) =>
    child.once('exit', (code) => done({ code, stderr })),
  );
  return { child, exited };
}

async function listening(server: Server, port = 0): Promise<number> {
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  return (server.address() as AddressInfo).port;
}

describe('the port is bound before anything else starts', { timeout: 60_000 }, () => {
  it.each(testDialects)(
    '%s: a port in use stops the start with one message; no database, no secret file',
    async (dialect) => {
      const other = createServer();
      const port = await listening(other);
      const dataDir = join(mkdtempSync(join(tmpdir(), 'mlapi-port-')), 'data');
      const name = `mlapi_port_taken_${Date.now().toString(36)}`;
      const sqlite = join(tmpdir(), `${name}.sqlite`);
      const databaseUrl = dialect === 'sqlite' ? `sqlite:${sqlite}` : `${testPostgresBase}/${name}`;
      try {
        // No JWT_SECRET: a start that got past the port would write DATA_DIR/jwt-secret.
        const { code, stderr } = await run({
          PORT: String(port),
          HOST: '127.0.0.1',
          DATA_DIR: dataDir,
          DATABASE_URL: databaseUrl,
          LOG_LEVEL: 'info',
        }).exited;
        expect(code).toBe(1);
        const lines = stderr.trimEnd().split('\n');
        expect(lines.at(-1)).toBe(
          `mlapi could not start: port ${port} is already in use on 127.0.0.1: stop the other process or set PORT`,
        );
        expect(stderr).not.toMatch(/\n\s+at /); // no stack
        expect(existsSync(join(dataDir, 'jwt-secret'))).toBe(false);
        expect(existsSync(dataDir) ? readdirSync(dataDir) : []).toEqual([]);
        if (dialect === 'sqlite') expect(existsSync(sqlite)).toBe(false);
        else expect(await postgresDatabaseExists(name)).toBe(false);
      } finally {
        await new Promise((done) => other.close(done));
      }
    },
  );

  it.each(testDialects)('%s: a normal start answers /healthz and / (a redirect to /docs)', async (dialect) => {
    const database = createTestDatabase(dialect);
    const server = await spawnServer({ DATABASE_URL: database.url });
    try {
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      const root = await fetch(`${server.url}/`, { redirect: 'manual' });
      expect(root.status).toBe(302);
      expect(root.headers.get('location')).toBe('/docs');
    } finally {
      expect(await server.stop()).toBe(0);
      await database.drop();
    }
  });

  it.each(testDialects)(
    '%s: MIGRATE_ON_START=false refuses a database with pending migrations, naming the command; then starts',
    async (dialect) => {
      const database = createTestDatabase(dialect);
      try {
        const { code, stderr } = await run({
          PORT: '0',
          HOST: '127.0.0.1',
          JWT_SECRET: testJwtSecret,
          DATABASE_URL: database.url,
          MIGRATE_ON_START: 'false',
        }).exited;
        expect(code).toBe(1);
        expect(stderr.trimEnd().split('\n').at(-1)).toMatch(
          /^mlapi could not start: the database is \d+ migration\(s\) behind this version \(.*\): run `npm run db:migrate`/,
        );
        expect(stderr).not.toMatch(/\n\s+at /);
        const migrated = await spawnServer({ DATABASE_URL: database.url });
        expect(await migrated.stop()).toBe(0);
        const server = await spawnServer({ DATABASE_URL: database.url, MIGRATE_ON_START: 'false' });
        try {
          expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
        } finally {
          expect(await server.stop()).toBe(0);
        }
      } finally {
        await database.drop();
      }
    },
  );

  it('two replicas starting together on an empty PostgreSQL database both start: one migrates, one superuser', async () => {
    const database = createTestDatabase('postgresql');
    try {
      const servers = await Promise.all([
        spawnServer({ DATABASE_URL: database.url }),
        spawnServer({ DATABASE_URL: database.url }),
      ]);
      try {
        for (const server of servers) expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      } finally {
        for (const server of servers) expect(await server.stop()).toBe(0);
      }
      const db = await openDatabase(database.url, { migrate: 'verify' });
      try {
        const [row] = await db.sql.read("select count(*) as n from users where role = 'admin'", []);
        expect(Number(row?.n)).toBe(1);
      } finally {
        await db.close();
      }
    } finally {
      await database.drop();
    }
  });

  it('while the database is still being reached, requests get 503 "starting" with Retry-After: 1; then the API', async () => {
    // A stand-in for a slow PostgreSQL: it accepts and holds every connection until released, then forwards it.
    const held: Socket[] = [];
    let released = false;
    const pgBase = new URL(testPostgresBase);
    const forward = (client: Socket) => {
      const upstream = connect(Number(pgBase.port || 5432), pgBase.hostname);
      for (const s of [client, upstream]) s.on('error', () => s.destroy());
      client.pipe(upstream).pipe(client);
    };
    const gate = createServer((client) => (released ? forward(client) : held.push(client)));
    const gatePort = await listening(gate);
    const database = createTestDatabase('postgresql');
    const viaGate = new URL(database.url);
    viaGate.port = String(gatePort);

    let url = '';
    let ready = false;
    const { child, exited } = run(
      {
        PORT: '0',
        HOST: '127.0.0.1',
        JWT_SECRET: testJwtSecret,
        DATA_DIR: mkdtempSync(join(tmpdir(), 'mlapi-starting-')),
        DATABASE_URL: viaGate.href,
        DATABASE_TIMEOUT_MS: '60000',
        LOG_LEVEL: 'debug',
      },
      (line) => {
        if (line.includes('port bound, starting')) url = (JSON.parse(line) as { url: string }).url;
        if (line.includes('mlapi listening')) ready = true;
      },
    );
    try {
      await expect.poll(() => url, { timeout: 30_000 }).not.toBe('');
      await expect.poll(() => held.length, { timeout: 30_000 }).toBeGreaterThan(0);
      for (const path of ['/healthz', '/mlservice/v1/healthcheck']) {
        const res = await fetch(url + path);
        expect(res.status, path).toBe(503);
        expect(res.headers.get('retry-after'), path).toBe('1');
        expect(await res.json(), path).toEqual({ message: 'starting', code: 'SERVICE_UNAVAILABLE' });
      }
      expect(ready).toBe(false);

      released = true;
      held.splice(0).forEach(forward);
      await expect.poll(() => ready, { timeout: 30_000 }).toBe(true);
      const health = await fetch(`${url}/healthz`);
      expect(health.status).toBe(200);
    } finally {
      held.splice(0).forEach((s) => s.destroy());
      if (child.exitCode === null) child.kill('SIGTERM');
      expect((await exited).code).toBe(0);
      await new Promise((done) => gate.close(done));
      await database.drop();
    }
  });

  it('a bad CORS_ORIGINS stops the start naming it', async () => {
    const { code, stderr } = await run({
      PORT: '0',
      HOST: '127.0.0.1',
      JWT_SECRET: testJwtSecret,
      CORS_ORIGINS: 'https://app.example.com/',
    }).exited;
    expect(code).toBe(1);
    expect(stderr).toMatch(/CORS_ORIGINS: .*https:\/\/app\.example\.com\/.*write https:\/\/app\.example\.com/);
  });
});
