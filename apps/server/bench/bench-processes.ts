/**
 * The processes a bench run measures: the real server (the bundle `npm start` runs, or `node --import tsx src/main.ts`) and
 * a bare `node:http` baseline, each in a child process of its own so its RSS can be read from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeFlags } from '../scripts/bundle.mjs';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

export interface Child {
  url: string;
  pid: number;
  /** Resident set size now and at its peak (VmRSS, VmHWM), in MB. */
  memory(): { rssMb: number; peakMb: number };
  /** CPU time the process has used so far (user + system), in seconds. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** A process as /proc/<pid>/stat tells it (proc(5): ppid is field 4; utime, stime, cutime, cstime fields 14–17). */
export function procStat(pid: number | string): { ppid: number; cpuSeconds: number; reapedChildrenCpuSeconds: number } {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /, '')
    .split(' ')
    .map(Number);
  const ticks = 100;
  return {
    ppid: fields[1]!,
    cpuSeconds: (fields[11]! + fields[12]!) / ticks,
    reapedChildrenCpuSeconds: (fields[13]! + fields[14]!) / ticks,
  };
}

const cpuSecondsOf = (pid: number): number => procStat(pid).cpuSeconds;

function memoryOf(pid: number) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: Math.round(kb('VmRSS') / 102.4) / 10, peakMb: Math.round(kb('VmHWM') / 102.4) / 10 };
}

/** Waits for a line on stderr/stdout that `match` turns into the URL. */
function waitForUrl(child: ChildProcess, match: (line: string) => string | undefined): Promise<string> {
  return new Promise((done, fail) => {
    let buffer = '';
    const timer = setTimeout(() => fail(new Error(`process did not start:\n${buffer}`)), 60_000);
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      for (const line of buffer.split('\n')) {
        const url = match(line);
        if (!url) continue;
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stderr?.off('data', onData);
        child.stdout?.resume();
        child.stderr?.resume();
        return done(url);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => fail(new Error(`process exited with ${code}:\n${buffer}`)));
  });
}

/** Every child process still running, and whether the bench's exit stops them yet. */
const running = new Set<ChildProcess>();
let guarded = false;
const stopAll = () => {
  for (const child of running) child.kill('SIGTERM');
};

/**
 * Keeps `child` from outliving the bench: however the bench ends (done, a server failing to start after others did,
 * an error, Ctrl-C, a `timeout`), its children are stopped, rather than left idling and taking CPU from the next
 * measurement.
 */
function track(child: ChildProcess): void {
  if (!guarded) {
    guarded = true;
    process.on('exit', stopAll);
    for (const signal of ['SIGINT', 'SIGTERM'] as const)
      process.once(signal, () => {
        stopAll();
        process.exit(128 + constants.signals[signal]);
      });
  }
  running.add(child);
  child.once('exit', () => running.delete(child));
}

function wrap(child: ChildProcess, url: string): Child {
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return {
    url,
    pid: child.pid!,
    memory: () => memoryOf(child.pid!),
    cpuSeconds: () => cpuSecondsOf(child.pid!),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface ServerOptions {
  /** What to run: a bundle (.mjs, as `npm start` runs it) or a TypeScript entry through tsx; default src/main.ts. */
  entry?: string;
  databaseUrl: string;
  bcryptCost: number;
  /** Directory for `--cpu-prof` output; no profile when absent. */
  cpuProfDir?: string;
  extraEnv?: Record<string, string>;
}

/** The real server, quotas off (0 = unlimited) so the bench measures throughput, not the 429 path. */
export async function spawnBenchServer(options: ServerOptions): Promise<Child> {
  const nodeArgs = options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`] : [];
  // BENCH_NODE_ARGS: extra node flags for the server, e.g. `--import ./probe.mjs` to watch event-loop lag or GC.
  if (process.env.BENCH_NODE_ARGS) nodeArgs.push(...process.env.BENCH_NODE_ARGS.split(' '));
  // BENCH_SERVER_ENTRY: another entry point to measure (e.g. another checkout's src/main.ts, to compare).
  const file = process.env.BENCH_SERVER_ENTRY ?? options.entry ?? main;
  // A bundle runs as `npm start` runs it, with its node flags; a TypeScript entry as `tsx src/main.ts` does.
  const entry = file.endsWith('.ts') ? ['--import', 'tsx', file] : [...nodeFlags, file];
  const child = spawn(process.execPath, [...nodeArgs, ...entry], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      DATABASE_URL: options.databaseUrl,
      JWT_SECRET: 'bench-secret-bench-secret-bench-secret!',
      SUPERUSER_PASSWORD: '8888',
      BCRYPT_COST: String(options.bcryptCost),
      DEFAULT_CALLS_PER_MINUTE: '0',
      DEFAULT_CALLS_PER_DAY: '0',
      LOGIN_MAX_FAILURES_PER_USERNAME: '0',
      LOGIN_MAX_FAILURES_PER_IP: '0',
      // The reads over a filled history are measured, not pruning (a --days=366 fill is older than the default).
      RETENTION_DAYS: '0',
      LOG_LEVEL: 'info',
      WARM_MODELS: 'true',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'mlapi-bench-')),
      ...options.extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);
  if (process.env.BENCH_SERVER_LOG)
    child.stderr.on('data', (chunk: Buffer) => appendFileSync(process.env.BENCH_SERVER_LOG!, chunk));
  const url = await waitForUrl(child, (line) => {
    if (!line.includes('mlapi listening')) return undefined;
    return (JSON.parse(line) as { url: string }).url;
  });
  return wrap(child, url);
}

/** A bare node:http server: reads the JSON body, answers a small JSON reply. The ceiling to compare against. */
const baselineSource = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
    const json = JSON.stringify({ category: 'ham', probability: 0.5, prediction_id: 1, model_version: 'x', n: Object.keys(body).length });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) }).end(json);
  });
});
server.keepAliveTimeout = 5000;
server.listen(0, '127.0.0.1', () => console.log('listening http://127.0.0.1:' + server.address().port));
`;

export async function spawnBaseline(): Promise<Child> {
  const child = spawn(process.execPath, ['-e', baselineSource], { stdio: ['ignore', 'pipe', 'pipe'] });
  track(child);
  const url = await waitForUrl(child, (line) => /^listening (\S+)/.exec(line)?.[1]);
  return wrap(child, url);
}
