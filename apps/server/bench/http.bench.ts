/**
 * `npm run bench -w @mlapi/server`: the real server (SQLite file, full predict path: token, rights, model, call log
 * and prediction log committed before the reply) under autocannon load on loopback. Prints one line per scenario.
 */
import autocannon from 'autocannon';
import { createTestDatabase } from '@mlapi/db/testing';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../src/app.ts';
import { loadEnv } from '../src/env.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const dialect = (process.env.BENCH_DIALECT ?? 'sqlite') as 'sqlite' | 'postgresql';

const database = createTestDatabase(dialect);
const server = await startServer(
  loadEnv({
    NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', DATABASE_URL: database.url, LOG_LEVEL: 'error',
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret!', DATA_DIR: mkdtempSync(join(tmpdir(), 'mlapi-bench-')),
  }),
);
const { models } = await import('@mlapi/ml');
await Promise.all([models.v1.load(), models.v2.load()]);

const login = await fetch(`${server.url}/auth/token`, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'superuser@example.com', password: '8888' }),
});
const { access_token: token } = (await login.json()) as { access_token: string };
const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };

const house = { crim: 0.1, zn: 0, indus: 8, chas: 0, nox: 0.5, rm: 6.5, age: 60, dis: 4, rad: 4, tax: 300, ptratio: 18, lstat: 8 };
const mail10k = 'Subject: quarterly report\n\n' + 'Please find the figures for the third quarter attached, and call me about the budget. '.repeat(120);

const scenarios = [
  { name: 'GET /user (token + user read)', method: 'GET', path: '/user' },
  { name: 'POST /mlservice/v1/predict (10 kB mail)', method: 'POST', path: '/mlservice/v1/predict', body: JSON.stringify({ text: mail10k }) },
  { name: 'POST /mlservice/v2/predict', method: 'POST', path: '/mlservice/v2/predict', body: JSON.stringify(house) },
  { name: 'POST /mlservice/v2/predict/batch (100 items)', method: 'POST', path: '/mlservice/v2/predict/batch', body: JSON.stringify({ items: Array(100).fill(house) }), items: 100 },
] as const;

console.log(`mlapi HTTP bench — ${dialect}, ${connections} connections, ${seconds} s each, Node ${process.version}`);
for (const s of scenarios) {
  const result = await autocannon({
    url: server.url + s.path, method: s.method, headers, body: 'body' in s ? s.body : undefined, connections, duration: seconds,
  });
  const perItem = 'items' in s ? ` (${Math.round(result.requests.average * s.items)} items/s)` : '';
  const errors = result.non2xx + result.errors;
  console.log(
    `${s.name.padEnd(48)} ${String(Math.round(result.requests.average)).padStart(6)} req/s${perItem}  ` +
      `p50 ${result.latency.p50} ms  p99 ${result.latency.p99} ms${errors ? `  ERRORS ${errors}` : ''}`,
  );
}

await server.close();
await database.drop();
