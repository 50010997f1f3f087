/**
 * `npm run bench` (or `npm run bench -w @mlapi/server -- --pg --seconds=5 --label=x --only=v1/predict --quotas --cpu-prof --tsx`):
 * the real server in a child process — the bundle `npm start` runs, or with --tsx `node --import tsx src/main.ts` —
 * on SQLite (or PostgreSQL with --pg), a user with both rights, then in one run, each for a fixed
 * time: a bare node:http baseline, v1 predict over REST and over tRPC — the lean binding, and tRPC's stock adapter
 * as reference (a second server process with TRPC_BINDING=stock) — (full production path: token, rights, quota
 * check, model, call log and prediction log committed before the reply), GET /user/, v2 predict alone and with a
 * shadow rollout (a second model predicting every call off the reply path) and while a v1 retraining trains (its child
 * process at lower priority), a v2 batch of 1,000 rows,
 * login (bcrypt at BCRYPT_COST, default 12), and v1 predict at 1,000 connections with /healthz probed meanwhile.
 * Prints req/s, p50/p99, errors, share of the baseline and the server's RSS; writes bench/results/<label>.{json,md}.
 */
import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestDatabase } from '@mlapi/db/testing';
import { v2ExampleInput as house } from '@mlapi/schemas';
import { bundleServer } from '../scripts/bundle.mjs';
import { spawnBaseline, spawnBenchServer, type Child } from './bench-processes.ts';
import { postgresCpu } from './postgres-cpu.ts';
import { runLoad } from './bench-load.ts';
import { writeBenchOnnxModel } from './onnx-bench-model.ts';
import { printRow, runInfo, writeResults, type Row } from './bench-report.ts';
import { startShadow, stopShadow } from './shadow-candidate.ts';
import { finishRetraining, startRetraining } from './retrain-job.ts';

const flag = (name: string) => process.argv.slice(2).find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
const flagValue = (name: string) => flag(name)?.split('=')[1];

const seconds = Number(flagValue('seconds') ?? process.env.BENCH_SECONDS ?? 5);
const connections = Number(flagValue('connections') ?? process.env.BENCH_CONNECTIONS ?? 50);
const dialect = flag('pg') || process.env.BENCH_DIALECT === 'postgresql' ? 'postgresql' : 'sqlite';
const bcryptCost = Number(process.env.BCRYPT_COST ?? 12);
const label = flagValue('label') ?? process.env.BENCH_LABEL ?? dialect;
const only = flagValue('only')?.split(',');
const cpuProfDir = flag('cpu-prof') ? (flagValue('cpu-prof') ?? `${process.cwd()}/bench/profiles`) : undefined;

/** The server as `npm start` runs it (the bundle), or from source through tsx with --tsx. */
const entry: string | undefined = flag('tsx') ? undefined : await bundleServer();

const database = createTestDatabase(dialect);
/** --quotas: counted (leases reserved in the database, as in production) but too high to throttle; default off (0 = unlimited). */
const quotaEnv: Record<string, string> = flag('quotas')
  ? { DEFAULT_CALLS_PER_MINUTE: '100000000', DEFAULT_CALLS_PER_DAY: '1000000000' }
  : {};
const server = await spawnBenchServer({ entry, databaseUrl: database.url, bcryptCost, cpuProfDir, extraEnv: quotaEnv });
const baseline = await spawnBaseline();
/** The same server with tRPC's stock adapter at /trpc (TRPC_BINDING=stock): the reference for the lean binding. */
const stockScenario = 'tRPC POST /trpc/ml.v1.predict (stock adapter)';
const stockServer =
  !only || only.some((o) => stockScenario.includes(o))
    ? await spawnBenchServer({
        entry,
        databaseUrl: database.url,
        bcryptCost,
        extraEnv: { ...quotaEnv, TRPC_BINDING: 'stock' },
      })
    : undefined;

/** The same server serving a 12-feature ONNX model as v2 (MODEL_DIR_V2): bring-your-own next to the built-in. */
const onnxScenarios = [
  'REST POST /mlservice/v2/predict (ONNX linear)',
  'REST POST /mlservice/v2/predict/batch ×1000 (ONNX linear)',
];
const onnxServer =
  !only || only.some((o) => onnxScenarios.some((n) => n.includes(o)))
    ? await spawnBenchServer({
        entry,
        databaseUrl: database.url,
        bcryptCost,
        extraEnv: { ...quotaEnv, MODEL_DIR_V2: await writeBenchOnnxModel() },
      })
    : undefined;

async function json(path: string, body: unknown, token?: string): Promise<any> {
  const res = await fetch(server.url + path, {
    method: path === '/auth/create' || path.startsWith('/auth') ? 'POST' : 'PUT',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? undefined : res.json();
}

const admin = (await json('/auth/token', { username: 'superuser@example.com', password: '8888' }))
  .access_token as string;
const credentials = { username: `bench.${Date.now().toString(36)}@example.com`, password: 'bench password' };
const created = await json('/auth/create', { ...credentials, first_name: 'Bench', last_name: 'Mark' });
await json(`/admin/users/${created.id}`, { is_active: true, has_access_v1: true, has_access_v2: true }, admin);
const token = (await json('/auth/token', credentials)).access_token as string;
const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };

const mail = {
  text: 'Subject: lunch on Friday\n\nHi Ada, are we still on for lunch on Friday? The usual place at noon. Charles',
};

interface Scenario {
  name: string;
  target: Child;
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  headers?: Record<string, string>;
  connections?: number;
  note?: string;
  /** Probe GET /healthz every 200 ms during the run and report its worst latency. */
  probeHealth?: boolean;
  /** Runs with a shadow rollout on v2 (a copy of the built-in model predicting every call again). */
  shadow?: boolean;
  /** Runs while a v1 retraining job trains in its child process. */
  retraining?: boolean;
}

const scenarios: Scenario[] = [
  {
    name: 'baseline: bare node:http POST JSON',
    target: baseline,
    method: 'POST',
    path: '/',
    body: JSON.stringify(mail),
    headers: { 'content-type': 'application/json' },
  },
  {
    name: 'REST POST /mlservice/v1/predict',
    target: server,
    method: 'POST',
    path: '/mlservice/v1/predict',
    body: JSON.stringify(mail),
  },
  {
    name: 'tRPC POST /trpc/ml.v1.predict',
    target: server,
    method: 'POST',
    path: '/trpc/ml.v1.predict',
    body: JSON.stringify({ json: mail }),
  },
  ...(stockServer
    ? [
        {
          name: stockScenario,
          target: stockServer,
          method: 'POST' as const,
          path: '/trpc/ml.v1.predict',
          body: JSON.stringify({ json: mail }),
        },
      ]
    : []),
  { name: 'REST GET /user/ (token check)', target: server, method: 'GET', path: '/user/' },
  {
    name: 'REST POST /mlservice/v2/predict (built-in GBT)',
    target: server,
    method: 'POST',
    path: '/mlservice/v2/predict',
    body: JSON.stringify(house),
  },
  {
    name: 'REST POST /mlservice/v2/predict (built-in GBT), with a shadow',
    target: server,
    method: 'POST',
    path: '/mlservice/v2/predict',
    body: JSON.stringify(house),
    shadow: true,
  },
  {
    name: 'REST POST /mlservice/v2/predict (built-in GBT), while v1 retrains',
    target: server,
    method: 'POST',
    path: '/mlservice/v2/predict',
    body: JSON.stringify(house),
    retraining: true,
  },
  ...(onnxServer
    ? [
        {
          name: onnxScenarios[0]!,
          target: onnxServer,
          method: 'POST' as const,
          path: '/mlservice/v2/predict',
          body: JSON.stringify(house),
        },
        {
          name: onnxScenarios[1]!,
          target: onnxServer,
          method: 'POST' as const,
          path: '/mlservice/v2/predict/batch',
          body: JSON.stringify({ items: Array(1000).fill(house) }),
          connections: 8,
          note: 'req/s × 1000 = rows/s',
        },
      ]
    : []),
  {
    name: 'REST POST /mlservice/v2/predict/batch ×1000',
    target: server,
    method: 'POST',
    path: '/mlservice/v2/predict/batch',
    body: JSON.stringify({ items: Array(1000).fill(house) }),
    connections: 8,
    note: 'req/s × 1000 = rows/s',
  },
  {
    name: `REST POST /auth/token (bcrypt ${bcryptCost})`,
    target: server,
    method: 'POST',
    path: '/auth/token',
    body: JSON.stringify(credentials),
    headers: { 'content-type': 'application/json' },
    connections: 8,
  },
  {
    name: 'REST POST /mlservice/v1/predict, 1000 conns',
    target: server,
    method: 'POST',
    path: '/mlservice/v1/predict',
    body: JSON.stringify(mail),
    connections: 1000,
    probeHealth: true,
  },
];

/**
 * Latency of GET /healthz probes (curl, a process of its own, so the bench's own busy event loop does not count)
 * while a scenario runs: the worst and the median, in ms.
 */
async function probeHealth(
  url: string,
  until: () => boolean,
): Promise<{ worst: number; median: number; failed: number }> {
  const samples: number[] = [];
  let failed = 0;
  const once = () =>
    new Promise<number | null>((done) =>
      execFile('curl', ['-sf', '-o', '/dev/null', '-m', '10', '-w', '%{time_total}', `${url}/healthz`], (err, out) =>
        done(err ? null : Math.round(Number(out) * 1000)),
      ),
    );
  await sleep(500);
  while (!until()) {
    const ms = await once();
    if (ms === null) failed++;
    else samples.push(ms);
    await sleep(200);
  }
  samples.sort((a, b) => a - b);
  return { worst: samples.at(-1) ?? NaN, median: samples[Math.floor(samples.length / 2)] ?? NaN, failed };
}

console.log(
  `mlapi bench "${label}" — ${dialect}, ${entry ? 'bundle' : 'tsx'}, ${seconds} s per scenario, Node ${process.version}, BCRYPT_COST ${bcryptCost}`,
);
const info = runInfo(label, dialect, seconds, bcryptCost);
const postgres = dialect === 'postgresql' ? await postgresCpu(database.url) : null;
const rows: Row[] = [];
let baselineRate: number | null = null;
for (const s of scenarios) {
  if (only && !only.some((o) => s.name.includes(o)) && s.target !== baseline) continue;
  const conns = s.connections ?? connections;
  let finished = false;
  const probe = s.probeHealth ? probeHealth(s.target.url, () => finished) : undefined;
  // PostgreSQL's own CPU (all its processes, see postgres-cpu.ts) for the server's scenarios.
  if (s.shadow) await startShadow(s.target.url, admin);
  const retrainJob = s.retraining ? await startRetraining(s.target.url, admin) : undefined;
  const pgBefore = s.target !== baseline ? postgres?.sample() : undefined;
  const result = await runLoad({
    target: s.target,
    method: s.method,
    path: s.path,
    body: s.body,
    headers: { ...headers, ...s.headers },
    connections: conns,
    seconds,
  });
  const pgSeconds = postgres && pgBefore !== undefined ? postgres.sample() - pgBefore : null;
  finished = true;
  const health = await probe;
  const shadowNote = s.shadow ? await stopShadow(s.target.url, admin) : undefined;
  const retrainNote = retrainJob === undefined ? undefined : await finishRetraining(s.target.url, admin, retrainJob);
  const rate = result.reqPerSec;
  if (s.target === baseline) baselineRate = rate;
  const row: Row = {
    scenario: s.name,
    connections: conns,
    ...result,
    dbCpuUsPerReq: pgSeconds === null ? null : Math.round((pgSeconds / Math.max(1, result.requests)) * 1e6),
    ratio:
      baselineRate && s.target !== baseline
        ? Math.round((rate / baselineRate) * 1000) / 1000
        : s.target === baseline
          ? 1
          : null,
    note:
      [
        s.note,
        shadowNote,
        retrainNote,
        health && `/healthz meanwhile: median ${health.median} ms, worst ${health.worst} ms, failed ${health.failed}`,
      ]
        .filter(Boolean)
        .join('; ') || undefined,
  };
  rows.push(row);
  printRow(row);
}

await Promise.all([server.stop(), baseline.stop(), stockServer?.stop(), onnxServer?.stop()]);
await database.drop();
console.log(`written ${writeResults(info, rows)}`);
if (cpuProfDir)
  console.log(
    `CPU profile in ${cpuProfDir} (summarise: npx tsx bench/profile-summary.ts ${cpuProfDir}/<file>.cpuprofile)`,
  );
