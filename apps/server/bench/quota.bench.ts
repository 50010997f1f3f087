/**
 * `npm run bench:quota -- [--limit=1000] [--fast=8] [--slow-ms=25] [--rounds=3]`: the false 429s of quota leases
 * near the limit. Two server processes on one fresh PostgreSQL database; one user with `--limit` calls a minute calls
 * replica a from `--fast` back-to-back loops and replica b once every `--slow-ms`, until 3 s after the first 429
 * (longer than an idle lease takes to go back). A 429 answered before the last admitted call is a false one: a unit
 * of the window was still unspent in a lease. Reports per round: admitted (never more than the limit), admitted when
 * the first 429 came, false 429s, and how long the last units took to be admitted after the first 429.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { createTestDatabase } from '@mlapi/db/testing';
import { login, restClient, userWithRights, type RestClient } from '@mlapi/server/testing';
import { spawnBenchServer } from './bench-processes.ts';

const { values } = parseArgs({
  options: {
    limit: { type: 'string', default: '1000' },
    fast: { type: 'string', default: '8' },
    'slow-ms': { type: 'string', default: '25' },
    rounds: { type: 'string', default: '3' },
  },
  strict: true,
});
const limit = Number(values.limit);
const fast = Number(values.fast);
const slowMs = Number(values['slow-ms']);
const rounds = Number(values.rounds);
const hamMail = 'Subject: Re: build\n\nThanks, I applied your patch to the build script and the tests pass now.';

const database = createTestDatabase('postgresql', { prefix: 'mlapi_bench_quota' });
const replicas = await Promise.all([0, 1].map(() => spawnBenchServer({ databaseUrl: database.url, bcryptCost: 4 })));
const [a, b] = replicas.map((r) => restClient(r.url)) as [RestClient, RestClient];

interface Reply {
  replica: 'a' | 'b';
  status: number;
  at: number;
}

async function round(): Promise<void> {
  // The whole round inside one UTC minute.
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 30_000) await sleep(left + 50);
  const admin = await login(a, 'superuser@example.com', '8888');
  const user = await userWithRights(a, admin, { is_active: true, has_access_v1: true });
  await a.put(`/admin/users/${user.id}/quota`, { calls_per_minute: limit, calls_per_day: 0 }, admin);
  const replies: Reply[] = [];
  const start = performance.now();
  let firstRefusal: number | undefined;
  const running = () => firstRefusal === undefined || performance.now() - firstRefusal < 3_000;
  const call = async (replica: 'a' | 'b') => {
    const { status } = await (replica === 'a' ? a : b).post('/mlservice/v1/predict', { text: hamMail }, user.token);
    const at = performance.now() - start;
    if (status === 429) firstRefusal ??= performance.now();
    replies.push({ replica, status, at });
  };
  const fastLoop = async () => {
    while (running()) await call('a');
  };
  const slowLoop = async () => {
    while (running()) await Promise.all([call('b'), sleep(slowMs)]);
  };
  await Promise.all([...Array.from({ length: fast }, fastLoop), slowLoop()]);

  const admitted = replies.filter((r) => r.status === 200);
  const lastAdmitted = Math.max(...admitted.map((r) => r.at));
  const first429 = Math.min(...replies.filter((r) => r.status === 429).map((r) => r.at));
  const false429 = replies.filter((r) => r.status === 429 && r.at < lastAdmitted);
  const other = replies.filter((r) => r.status !== 200 && r.status !== 429).length;
  console.log(
    [
      `admitted ${admitted.length} of ${limit} (a ${admitted.filter((r) => r.replica === 'a').length}, b ${admitted.filter((r) => r.replica === 'b').length})`,
      `admitted at the first 429 ${admitted.filter((r) => r.at <= first429).length}`,
      `false 429s ${false429.length} (a ${false429.filter((r) => r.replica === 'a').length}, b ${false429.filter((r) => r.replica === 'b').length})`,
      `last admission ${Math.max(0, lastAdmitted - first429).toFixed(0)} ms after the first 429`,
      `calls ${replies.length}${other ? `, other statuses ${other}` : ''}`,
    ].join('; '),
  );
  if (admitted.length > limit) process.exitCode = 1;
}

try {
  console.log(
    `quota leases: limit ${limit}/min, replica a ${fast} loops back to back, replica b one call per ${slowMs} ms`,
  );
  for (let i = 0; i < rounds; i++) await round();
} finally {
  await Promise.all(replicas.map((r) => r.stop()));
  await database.drop();
}
