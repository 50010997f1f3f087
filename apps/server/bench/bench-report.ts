/** The bench's table: printed, and written to bench/results/<label>.json and .md (small, commit-worthy). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg, cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Row {
  scenario: string;
  connections: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Non-2xx replies plus connection errors and timeouts. */
  errors: number;
  /** Share of the bare node:http baseline's req/s. */
  ratio: number | null;
  /**
   * The measured process's CPU time per request served (user + system, µs): what a request costs, much less
   * sensitive than req/s to other work on a shared machine.
   */
  cpuUsPerReq: number;
  /** PostgreSQL's own processes' CPU time per request served (µs); null on SQLite (inside the measured process). */
  dbCpuUsPerReq: number | null;
  /** The measured process's RSS right after the scenario, and its peak so far (MB). */
  rssMb: number;
  peakRssMb: number;
  note?: string;
}

export interface RunInfo {
  label: string;
  dialect: string;
  seconds: number;
  bcryptCost: number;
  node: string;
  cores: number;
  loadBefore: number[];
  loadAfter?: number[];
  startedAt: string;
}

export const runInfo = (label: string, dialect: string, seconds: number, bcryptCost: number): RunInfo => ({
  label,
  dialect,
  seconds,
  bcryptCost,
  node: process.version,
  cores: cpus().length,
  loadBefore: loadavg().map((l) => Math.round(l * 100) / 100),
  startedAt: new Date().toISOString(),
});

const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)} %`);

export function printRow(row: Row): void {
  console.log(
    `${row.scenario.padEnd(44)} c=${String(row.connections).padEnd(4)} ${String(row.reqPerSec).padStart(7)} req/s  ` +
      `p50 ${String(row.p50Ms).padStart(5)} ms  p99 ${String(row.p99Ms).padStart(5)} ms  ${pct(row.ratio).padStart(7)}  ` +
      `CPU ${String(row.cpuUsPerReq).padStart(5)} µs/req  ` +
      (row.dbCpuUsPerReq === null ? '' : `+ PostgreSQL ${String(row.dbCpuUsPerReq).padStart(4)} µs/req  `) +
      `RSS ${row.rssMb} MB (peak ${row.peakRssMb})${row.errors ? `  ERRORS ${row.errors}` : ''}${row.note ? `  [${row.note}]` : ''}`,
  );
}

/** What a bench writes besides the scenario rows: fields for the JSON, sections for the Markdown, another place. */
export interface ResultExtras {
  /** How the load was made, after the run's facts (default: the HTTP bench's setup). */
  setup?: string;
  fields?: Record<string, unknown>;
  /** Markdown put between the run's facts and the table of scenarios. */
  sections?: string[];
  /** The directory to write to (default bench/results/). */
  dir?: string;
}

const httpSetup = 'autocannon in the bench process; the server and the baseline each in a child process. Quotas off.';

function markdown(info: RunInfo, rows: Row[], extras: ResultExtras): string {
  const head = [
    `# mlapi bench — ${info.label}`,
    '',
    `${info.dialect}, ${info.seconds} s per scenario, Node ${info.node}, ${info.cores} cores, BCRYPT_COST ${info.bcryptCost}, ` +
      `started ${info.startedAt}; load average before ${info.loadBefore.join(' / ')}, after ${info.loadAfter?.join(' / ') ?? '?'}. ` +
      (extras.setup ?? httpSetup),
    '',
    ...(extras.sections ?? []).flatMap((section) => [section, '']),
  ];
  return [...head, ...scenarioTable(rows), ''].join('\n');
}

/** The scenarios as a Markdown table. */
export function scenarioTable(rows: Row[]): string[] {
  const head = [
    '| scenario | conns | req/s | p50 ms | p99 ms | errors | share of baseline | CPU µs/req | PostgreSQL CPU µs/req | RSS MB (peak) | note |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  const lines = rows.map(
    (r) =>
      `| ${r.scenario} | ${r.connections} | ${r.reqPerSec} | ${r.p50Ms} | ${r.p99Ms} | ${r.errors} | ${pct(r.ratio)} | ${r.cpuUsPerReq} | ${r.dbCpuUsPerReq ?? '—'} | ${r.rssMb} (${r.peakRssMb}) | ${r.note ?? ''} |`,
  );
  return [...head, ...lines];
}

export function writeResults(info: RunInfo, rows: Row[], extras: ResultExtras = {}): string {
  const dir = extras.dir ?? fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  info.loadAfter = loadavg().map((l) => Math.round(l * 100) / 100);
  const file = join(dir, info.label);
  writeFileSync(`${file}.json`, JSON.stringify({ ...info, ...extras.fields, rows }, null, 2) + '\n');
  writeFileSync(`${file}.md`, markdown(info, rows, extras));
  return `${file}.{json,md}`;
}
