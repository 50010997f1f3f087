/**
 * `npm run bench:replicas` (`-- --seconds=20 --rounds=3 --connections=50 --label=x --tsx`): the scale-out path's
 * three targets in one run. V1 predict at c=50 for a fixed time against (s) one server on SQLite, the embedded
 * default, then on PostgreSQL (a) one replica directly, (b) one replica behind nginx, (c) two replicas behind nginx
 * (the committed config, test/nginx-proxy.ts). For each: req/s, p50/p99, and the CPU per call of the servers in the
 * scenario plus PostgreSQL's (all its processes, see postgres-cpu.ts; not counted for (s)), nginx excluded, and the
 * calls each group commit of the call log stored (the servers' /metrics). Quotas on as in production (counted, too
 * high to throttle). With several rounds the scenarios take turns (in reverse order every other round) and each
 * target is the rounds' median.
 * Writes bench/results/replicas-<label>.{json,md}. The targets: (a) ≥ 80 % of (s) in req/s; (a) ≤ 200 µs of CPU per
 * call, PostgreSQL's included; (c) ≤ 110 % of (a) in CPU per call.
 */
import { createTestDatabase } from '@mlapi/db/testing';
import { bundleServer } from '../scripts/bundle.mjs';
import { startNginx, type NginxProcess } from '../test/nginx-proxy.ts';
import { spawnBenchServer, type Child } from './bench-processes.ts';
import { runLoad } from './bench-load.ts';
import { postgresCpu } from './postgres-cpu.ts';
import { printRow, runInfo, writeResults, type Row } from './bench-report.ts';

const flag = (name: string) => process.argv.slice(2).find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
const flagValue = (name: string) => flag(name)?.split('=')[1];

const seconds = Number(flagValue('seconds') ?? process.env.BENCH_SECONDS ?? 20);
const rounds = Number(flagValue('rounds') ?? 3);
if (!Number.isInteger(rounds) || rounds < 1)
  throw new Error(`--rounds must be a whole number ≥ 1, not ${flagValue('rounds')}`);
const connections = Number(flagValue('connections') ?? process.env.BENCH_CONNECTIONS ?? 50);
const bcryptCost = Number(process.env.BCRYPT_COST ?? 12);
const label = `replicas-${flagValue('label') ?? process.env.BENCH_LABEL ?? 'postgresql'}`;
const entry: string | undefined = flag('tsx') ? undefined : await bundleServer();

const database = createTestDatabase('postgresql');
const embedded = createTestDatabase('sqlite');
const extraEnv = {
  DEFAULT_CALLS_PER_MINUTE: '100000000',
  DEFAULT_CALLS_PER_DAY: '1000000000',
  TRUSTED_PROXIES: '127.0.0.1',
};
const a = await spawnBenchServer({ entry, databaseUrl: database.url, bcryptCost, extraEnv });
const b = await spawnBenchServer({ entry, databaseUrl: database.url, bcryptCost, extraEnv });
const sqlite = await spawnBenchServer({ entry, databaseUrl: embedded.url, bcryptCost, extraEnv });

async function json(server: Child, path: string, body: unknown, token?: string): Promise<any> {
  const res = await fetch(server.url + path, {
    method: path.startsWith('/auth') ? 'POST' : 'PUT',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? undefined : res.json();
}

/** A user with the v1 right in `server`'s database, and the headers of their calls. */
async function benchUser(server: Child): Promise<Record<string, string>> {
  const admin = (await json(server, '/auth/token', { username: 'superuser@example.com', password: '8888' }))
    .access_token as string;
  const credentials = { username: `bench.${Date.now().toString(36)}@example.com`, password: 'bench password' };
  const created = await json(server, '/auth/create', { ...credentials, first_name: 'Bench', last_name: 'Mark' });
  await json(server, `/admin/users/${created.id}`, { is_active: true, has_access_v1: true }, admin);
  const token = (await json(server, '/auth/token', credentials)).access_token as string;
  return { 'content-type': 'application/json', authorization: `Bearer ${token}` };
}
const [headers, sqliteHeaders] = await Promise.all([benchUser(a), benchUser(sqlite)]);
const body = JSON.stringify({
  text: 'Subject: lunch on Friday\n\nHi Ada, are we still on for lunch on Friday? The usual place at noon. Charles',
});

const postgres = await postgresCpu(database.url);
if (!postgres) console.log('PostgreSQL does not run on this machine: its CPU is not counted');

/** A server's call-log group commits and the calls they stored so far (its /metrics). */
async function callLogWrites(server: Child): Promise<{ commits: number; calls: number }> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const count = (name: string) =>
    Number(new RegExp(`^mlapi_call_log_writes\\{count="${name}"\\} (\\S+)$`, 'm').exec(text)?.[1]);
  return { commits: count('commits'), calls: count('calls') };
}

/** Calls per group commit over the servers of a scenario, between two readings of each. */
async function writesOf(servers: readonly Child[]) {
  const all = await Promise.all(servers.map(callLogWrites));
  return {
    commits: all.reduce((sum, w) => sum + w.commits, 0),
    calls: all.reduce((sum, w) => sum + w.calls, 0),
  };
}

interface Scenario {
  name: string;
  servers: Child[];
  /** Behind nginx: these replicas as its upstream servers. */
  viaNginx: boolean;
  /** On PostgreSQL: its CPU counted with the servers'. */
  postgres: boolean;
}

const scenarios: Scenario[] = [
  { name: 'one server on SQLite', servers: [sqlite], viaNginx: false, postgres: false },
  { name: 'one replica, directly', servers: [a], viaNginx: false, postgres: true },
  { name: 'one replica behind nginx', servers: [a], viaNginx: true, postgres: true },
  { name: 'two replicas behind nginx', servers: [a, b], viaNginx: true, postgres: true },
];

interface Cost {
  scenario: string;
  round: number;
  reqPerSec: number;
  serverUsPerCall: number;
  postgresUsPerCall: number | null;
  totalUsPerCall: number;
  /** Calls stored per group commit (one statement each) over the scenario's servers. */
  callsPerCommit: number;
}

console.log(
  `mlapi bench "${label}" — SQLite and PostgreSQL, ${entry ? 'bundle' : 'tsx'}, ${seconds} s per scenario, ${rounds} round(s), c=${connections}, Node ${process.version}`,
);
const info = runInfo(label, 'sqlite and postgresql', seconds, bcryptCost);
const rows: Row[] = [];
const costs: Cost[] = [];

async function measure(s: Scenario, round: number): Promise<void> {
  let nginx: NginxProcess | undefined;
  if (s.viaNginx) nginx = await startNginx(s.servers.map((server) => new URL(server.url).host));
  const target: Child = { ...s.servers[0]!, url: nginx?.url ?? s.servers[0]!.url };
  const load = {
    target,
    method: 'POST' as const,
    path: '/mlservice/v1/predict',
    body,
    headers: s.postgres ? headers : sqliteHeaders,
    connections,
  };
  // Warm-up (not measured): every pool connection open, every upstream connection kept alive.
  await runLoad({ ...load, seconds: Math.min(3, seconds) });
  const serverCpu = () => s.servers.reduce((sum, server) => sum + server.cpuSeconds(), 0);
  const pgBefore = s.postgres ? postgres?.sample() : undefined;
  const serversBefore = serverCpu();
  const writesBefore = await writesOf(s.servers);
  const result = await runLoad({ ...load, seconds });
  const serverSeconds = serverCpu() - serversBefore;
  const writesAfter = await writesOf(s.servers);
  const pgSeconds = postgres && pgBefore !== undefined ? postgres.sample() - pgBefore : null;
  await nginx?.stop();

  const perCall = (cpu: number) => Math.round((cpu / Math.max(1, result.requests)) * 1e6);
  const cost: Cost = {
    scenario: s.name,
    round,
    reqPerSec: result.reqPerSec,
    serverUsPerCall: perCall(serverSeconds),
    postgresUsPerCall: pgSeconds === null ? null : perCall(pgSeconds),
    totalUsPerCall: perCall(serverSeconds + (pgSeconds ?? 0)),
    callsPerCommit:
      Math.round(
        ((writesAfter.calls - writesBefore.calls) / Math.max(1, writesAfter.commits - writesBefore.commits)) * 10,
      ) / 10,
  };
  costs.push(cost);
  const memory = s.servers.map((server) => server.memory());
  const row: Row = {
    scenario: rounds > 1 ? `${s.name} (round ${round})` : s.name,
    connections,
    reqPerSec: result.reqPerSec,
    p50Ms: result.p50Ms,
    p99Ms: result.p99Ms,
    errors: result.errors,
    ratio: null,
    cpuUsPerReq: cost.serverUsPerCall,
    dbCpuUsPerReq: cost.postgresUsPerCall,
    rssMb: Math.max(...memory.map((m) => m.rssMb)),
    peakRssMb: Math.max(...memory.map((m) => m.peakMb)),
    note:
      (s.postgres
        ? `servers ${cost.serverUsPerCall} µs + PostgreSQL ${cost.postgresUsPerCall ?? '?'} µs per call, `
        : `server ${cost.serverUsPerCall} µs per call, `) + `${cost.callsPerCommit} calls per group commit`,
  };
  rows.push(row);
  printRow(row);
}

// Rounds interleave the scenarios, so a machine that speeds up or slows down meanwhile weighs on each alike, and
// every other round runs them in reverse order, so a drift within rounds does not always fall on the same one.
for (let round = 1; round <= rounds; round++)
  for (const s of round % 2 ? scenarios : scenarios.toReversed()) await measure(s, round);

await Promise.all([a.stop(), b.stop(), sqlite.stop()]);
await Promise.all([database.drop(), embedded.drop()]);

const share = (x: number | undefined, of: number | undefined) =>
  x !== undefined && of ? Math.round((x / of) * 1000) / 1000 : null;
/** The median, to three decimals as `share` gives. */
const median = (values: number[]) => {
  const sorted = values.toSorted((x, y) => x - y);
  const mid = sorted.length / 2;
  const value = Number.isInteger(mid) ? (sorted[mid - 1]! + sorted[mid]!) / 2 : sorted[Math.floor(mid)]!;
  return Math.round(value * 1000) / 1000;
};
/** Each round's targets: (a) against (s) in req/s, (a)'s CPU per call, and (c) against (a) and (b) in CPU per call. */
const perRound = Array.from({ length: rounds }, (_, i) => {
  const [embeddedRun, direct, proxied, two] = scenarios.map((s) =>
    costs.find((c) => c.round === i + 1 && c.scenario === s.name),
  );
  return {
    postgresVsSqliteReqPerSec: share(direct?.reqPerSec, embeddedRun?.reqPerSec)!,
    postgresUsPerPredict: direct!.totalUsPerCall,
    sqliteUsPerPredict: embeddedRun!.totalUsPerCall,
    direct: share(two?.totalUsPerCall, direct?.totalUsPerCall)!,
    proxied: share(two?.totalUsPerCall, proxied?.totalUsPerCall)!,
  };
});
const comparison = {
  postgresVsSqliteReqPerSec: median(perRound.map((r) => r.postgresVsSqliteReqPerSec)),
  postgresUsPerPredict: median(perRound.map((r) => r.postgresUsPerPredict)),
  sqliteUsPerPredict: median(perRound.map((r) => r.sqliteUsPerPredict)),
  twoReplicasVsOneDirect: median(perRound.map((r) => r.direct)),
  twoReplicasVsOneBehindNginx: median(perRound.map((r) => r.proxied)),
  rounds: perRound,
  targets: { postgresVsSqliteReqPerSec: 0.8, postgresUsPerPredict: 200, twoReplicasVsOne: 1.1 },
};
const of = (pick: (r: (typeof perRound)[number]) => number | string) =>
  rounds > 1 ? ` (median of ${rounds} rounds: ${perRound.map(pick).join(', ')})` : '';
const summary = [
  `PostgreSQL predict, one replica: **${comparison.postgresVsSqliteReqPerSec}×** SQLite's req/s` +
    `${of((r) => r.postgresVsSqliteReqPerSec)} (target ≥ ${comparison.targets.postgresVsSqliteReqPerSec}×)`,
  `CPU per PostgreSQL predict, server and PostgreSQL: **${comparison.postgresUsPerPredict} µs**` +
    `${of((r) => r.postgresUsPerPredict)} (target ≤ ${comparison.targets.postgresUsPerPredict} µs; ` +
    `SQLite ${comparison.sqliteUsPerPredict} µs)`,
  `CPU per call, two replicas behind nginx: **${comparison.twoReplicasVsOneDirect}×** one replica directly, ` +
    `${comparison.twoReplicasVsOneBehindNginx}× one behind nginx${of((r) => `${r.direct}/${r.proxied}`)} ` +
    `(target ≤ ${comparison.targets.twoReplicasVsOne}×)`,
];
for (const line of summary) console.log(line.replaceAll('**', ''));
const written = writeResults(info, rows, {
  setup:
    'autocannon in the bench process; each server a child process of its own; nginx (deploy/nginx template, Debian ' +
    'package) a child process too. Quotas on (too high to throttle). CPU µs/req: user + system time of the ' +
    "scenario's server processes and, on PostgreSQL, of all PostgreSQL's processes (backends, background processes, " +
    'autovacuum workers, those that ended too) per call; nginx not counted.',
  fields: { costs, comparison },
  sections: summary,
});
console.log(`written ${written}`);
