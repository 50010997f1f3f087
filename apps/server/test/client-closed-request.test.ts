import { createTestDatabase, testDialects, type TestDatabase } from '@mlapi/db/testing';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from './spawn-server.ts';

interface LogLine {
  level: number;
  msg: string;
  requestId?: string;
  [key: string]: unknown;
}

/** The server process's JSON log lines (stderr), as they arrive. */
function collectLogs(server: ServerProcess): LogLine[] {
  const lines: LogLine[] = [];
  let rest = '';
  server.child.stderr!.on('data', (chunk: Buffer) => {
    const parts = (rest + chunk.toString()).split('\n');
    rest = parts.pop()!;
    for (const part of parts) if (part.trim()) lines.push(JSON.parse(part) as LogLine);
  });
  return lines;
}

/** Sends a request head promising `content-length: 100000`, a few bytes of the body, then hangs up. */
async function hangUpMidBody(url: string, path: string, requestId: string, contentType: string): Promise<void> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await new Promise<void>((done, fail) => socket.once('connect', done).once('error', fail));
  socket.write(
    `POST ${path} HTTP/1.1\r\nhost: ${hostname}:${port}\r\ncontent-type: ${contentType}\r\ncontent-length: 100000\r\n` +
      `x-request-id: ${requestId}\r\n\r\n{"json":{"username":"someone@example.com","password":"`,
  );
  await new Promise((r) => setTimeout(r, 100)); // the server is now reading the body
  socket.destroy();
}

/** `mlapi_http_requests_total` from /metrics: one entry per label set. */
async function requestCounts(url: string): Promise<{ labels: string; count: number }[]> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return [...text.matchAll(/^mlapi_http_requests_total\{([^}]*)\} (\d+)$/gm)].map(([, labels, count]) => ({
    labels: labels!,
    count: Number(count),
  }));
}

const pinoError = 50;

/**
 * Hardening: a client hanging up mid-body is a client event. The real server process (its own stderr logs, read
 * as JSON lines) logs it at info as `client closed the request` with the request id, never an error-level
 * "internal error", writes no 500, and /metrics counts it under 499, never as a 5xx.
 */
describe.each(testDialects)('a client hanging up mid-body on %s', (dialect) => {
  let database: TestDatabase;
  let server: ServerProcess;
  let logs: LogLine[];
  beforeAll(async () => {
    database = createTestDatabase(dialect);
    server = await spawnServer({ DATABASE_URL: database.url, LOG_LEVEL: 'info', WARM_MODELS: 'false' });
    logs = collectLogs(server);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  it.each([
    ['REST', '/auth/token', 'application/json', '/auth/token'],
    ['lean /trpc', '/trpc/auth.token', 'application/json', '/trpc'],
  ])(
    '%s: logged at info as "client closed the request", no error line, counted as 499 not 5xx',
    async (binding, path, type, route) => {
      const requestId = `hang-up-${binding.replace(/\W/g, '')}-${dialect}`;
      await hangUpMidBody(server.url, path, requestId, type);
      await expect.poll(() => logs.find((l) => l.requestId === requestId), { timeout: 5_000 }).toBeDefined();
      const mine = logs.filter((l) => l.requestId === requestId);
      expect(mine).toEqual([expect.objectContaining({ level: 30, msg: 'client closed the request', requestId })]);
      expect(logs.filter((l) => l.level >= pinoError)).toEqual([]);

      const counts = await requestCounts(server.url);
      expect(counts.filter((c) => /status="5\d\d"/.test(c.labels))).toEqual([]);
      const abandoned = counts.find(
        (c) =>
          c.labels.includes(`route="${route}"`) &&
          c.labels.includes('method="POST"') &&
          c.labels.includes('status="499"'),
      );
      expect(abandoned?.count, JSON.stringify(counts)).toBe(1);

      // The server is unharmed: the same request sent whole is answered.
      const whole = await fetch(server.url + path, {
        method: 'POST',
        headers: { 'content-type': type },
        body: JSON.stringify(
          path.startsWith('/trpc')
            ? { json: { username: 'someone@example.com', password: 'x' } }
            : { username: 'someone@example.com', password: 'x' },
        ),
      });
      expect(whole.status).toBe(401);
    },
  );
});
