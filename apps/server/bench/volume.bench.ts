/**
 * `npm run bench:volume -- [--pg] [--calls=10M] [--days=30] [--users=200] [--seconds=10] [--keep] [--no-rebuild]
 * [--log-inputs=full|hash|none] [--input-bytes=N] [--label=name] [--out=dir]`: the server's reads over a production-sized history. A fresh database (a SQLite file
 * in the temp directory, or with --pg a PostgreSQL database, dropped afterwards unless --keep), filled by SQL with
 * the calls, predictions and feedback of `--users` users over `--days` days; the rollups rebuilt from them (timed);
 * their rows and bytes per million calls; then the real server as `npm start` runs it, and for `--seconds` each the
 * usage analytics (whole window, one user, one service, another time zone), both metrics, the history's first
 * page, a deep page (and a cursor page when the server has cursors), and v1 predict at 50 connections. Progress on
 * stderr; the tables on stdout and in bench/results/<label>.{json,md}.
 */
import { cpus, totalmem } from 'node:os';
import bcrypt from 'bcrypt';
import { openDatabase, rebuildRollups } from '@mlapi/db';
import { fillCalls, rollupFootprint, settleAfterFill } from '@mlapi/db/bench';
import { createTestDatabase } from '@mlapi/db/testing';
import { bundleServer } from '../scripts/bundle.mjs';
import { runLoad } from './bench-load.ts';
import { fillInputs } from './fill-inputs.ts';
import { spawnBenchServer, type Child } from './bench-processes.ts';
import { printRow, runInfo, scenarioTable, writeResults, type Row } from './bench-report.ts';
import { readVolumeOptions } from './volume-options.ts';
import { volumeFields, volumeSections, type Timed, type VolumeFacts } from './volume-report.ts';
import { volumeScenarios } from './volume-scenarios.ts';

const options = readVolumeOptions(process.argv.slice(2));
const password = 'volume bench password';
const number = new Intl.NumberFormat('en-US');

/** A progress line on stderr at most once a second (and at the end). */
function progress(what: string, total: number) {
  let last = 0;
  return (p: { calls: number; predictions: number; seconds: number }) => {
    if (p.seconds - last < 1 && p.calls < total) return;
    last = p.seconds;
    const rate = Math.round((p.calls + p.predictions) / Math.max(0.001, p.seconds));
    process.stderr.write(
      `${what}: ${number.format(p.calls)} calls, ${number.format(p.predictions)} predictions in ` +
        `${p.seconds.toFixed(1)} s (${number.format(rate)} rows/s)\n`,
    );
  };
}

async function fillAndRebuild(databaseUrl: string, now: Date): Promise<VolumeFacts> {
  const db = await openDatabase(databaseUrl);
  try {
    const fill = await fillCalls(db, {
      calls: options.calls,
      users: options.users,
      days: options.days,
      now,
      passwordHash: await bcrypt.hash(password, 4),
      inputs: fillInputs(options.logInputs, options.inputBytes),
      onProgress: progress('fill', options.calls),
    });
    let rebuild: Timed | null = null;
    if (options.rebuild) {
      const started = performance.now();
      const seconds = () => (performance.now() - started) / 1000;
      const report = progress('rollup rebuild', fill.calls);
      const done = await rebuildRollups(db, { onProgress: (p) => report({ ...p, seconds: seconds() }) });
      rebuild = { seconds: seconds(), calls: done.calls, predictions: done.predictions };
    }
    await settleAfterFill(db);
    const footprint = await rollupFootprint(db);
    return {
      calls: options.calls,
      users: options.users,
      days: options.days,
      logInputs: options.logInputs,
      inputBytes: options.inputBytes ?? null,
      fill,
      rebuild,
      footprint,
    };
  } finally {
    await db.close();
  }
}

/** spawnBenchServer's superuser. */
const admin = { username: 'superuser@example.com', password: '8888' };

async function token(server: Child, username: string, password: string): Promise<string> {
  const res = await fetch(`${server.url}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in as ${username}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

async function measureEndpoints(server: Child, facts: VolumeFacts, from: Date, to: Date): Promise<Row[]> {
  const scenarios = await volumeScenarios({
    url: server.url,
    adminToken: await token(server, admin.username, admin.password),
    userToken: await token(server, facts.fill.heavyUser.username, password),
    userId: facts.fill.heavyUser.id,
    userCalls: facts.fill.heavyUser.calls,
    from,
    to,
  });
  const rows: Row[] = [];
  for (const s of scenarios) {
    const result = await runLoad({
      target: server,
      method: s.method,
      path: s.path,
      body: s.body,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${s.token}` },
      connections: s.connections,
      seconds: options.seconds,
    });
    const row: Row = {
      scenario: s.name,
      connections: s.connections,
      ...result,
      ratio: null,
      dbCpuUsPerReq: null,
      note: s.note,
    };
    rows.push(row);
    printRow(row);
  }
  return rows;
}

const database = createTestDatabase(options.dialect, { prefix: 'mlapi_volume' });
console.log(
  `mlapi bench:volume "${options.label}" — ${options.dialect}, ${number.format(options.calls)} calls, ` +
    `${options.days} days, ${options.users} users, ${options.seconds} s per endpoint, Node ${process.version}`,
);
const info = runInfo(options.label, options.dialect, options.seconds, 4);
const now = new Date();
let server: Child | undefined;
try {
  const entry = await bundleServer();
  const facts = await fillAndRebuild(database.url, now);
  const sections = volumeSections(facts);
  console.log(`\n${sections.join('\n\n')}\n`);
  server = await spawnBenchServer({
    entry,
    databaseUrl: database.url,
    bcryptCost: 4,
    extraEnv: { LOG_INPUTS: options.logInputs },
  });
  const rows = await measureEndpoints(server, facts, new Date(now.getTime() - options.days * 86_400_000), now);
  console.log(`\n${scenarioTable(rows).join('\n')}\n`);
  const written = writeResults(info, rows, {
    setup:
      'The server as `npm start` runs it, in a child process; autocannon in the bench process. Quotas off. ' +
      `Machine: ${cpus()[0]?.model ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GB.`,
    fields: { machine: { cpu: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30) }, ...volumeFields(facts) },
    sections,
    dir: options.out,
  });
  console.log(`written ${written}`);
} finally {
  await server?.stop();
  if (options.keep) console.log(`kept the database: DATABASE_URL=${database.url}`);
  else await database.drop();
}
