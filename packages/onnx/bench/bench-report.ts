/** The bench's table: printed, and written to bench/results/<label>.json and .md (small, commit-worthy). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

export interface Row {
  scenario: string;
  /** Rows per call (1 for predict, 1,000 for predictBatch). */
  batch: number;
  runs: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  /** Rows predicted per second at the mean latency. */
  rowsPerSec: number;
  note?: string;
}

export interface RunInfo {
  label: string;
  node: string;
  onnxruntime: string;
  cores: number;
  loadBefore: number[];
  loadAfter?: number[];
  startedAt: string;
  /** Load times in ms (manifest + session + graph check for ONNX). */
  loadMs: Record<string, number>;
}

const round = (v: number, digits = 3) => Math.round(v * 10 ** digits) / 10 ** digits;
const load = () => loadavg().map((l) => round(l, 2));

export const runInfo = (label: string, onnxruntime: string): RunInfo => ({
  label,
  node: process.version,
  onnxruntime,
  cores: cpus().length,
  loadBefore: load(),
  startedAt: new Date().toISOString(),
  loadMs: {},
});

function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

/** Times `runs` sequential calls after a warm-up; returns the row (not yet printed). */
export async function measure(
  scenario: string,
  batch: number,
  runs: number,
  fn: (i: number) => Promise<unknown>,
  note?: string,
): Promise<Row> {
  for (let i = 0; i < Math.min(200, runs); i++) await fn(i); // warm-up (JIT, allocator)
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn(i);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const mean = times.reduce((s, v) => s + v, 0) / times.length;
  return {
    scenario,
    batch,
    runs,
    p50Ms: round(percentile(times, 0.5), 4),
    p99Ms: round(percentile(times, 0.99), 4),
    meanMs: round(mean, 4),
    rowsPerSec: Math.round((batch * 1000) / mean),
    ...(note ? { note } : {}),
  };
}

const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;
const time = (ms: number) => (ms < 1 ? us(ms) : `${ms.toFixed(2)} ms`);

export function printRow(row: Row): void {
  console.log(
    `${row.scenario.padEnd(52)} p50 ${time(row.p50Ms).padStart(10)}  p99 ${time(row.p99Ms).padStart(10)}  ` +
      `mean ${time(row.meanMs).padStart(10)}  ${row.rowsPerSec.toLocaleString('en-US').padStart(10)} rows/s  (n=${row.runs})` +
      (row.note ? `  [${row.note}]` : ''),
  );
}

function markdown(info: RunInfo, rows: readonly Row[]): string {
  const loads = Object.entries(info.loadMs)
    .map(([k, v]) => `${k} ${v} ms`)
    .join(', ');
  return [
    `# @mlapi/onnx bench — ${info.label}`,
    '',
    `Node ${info.node}, onnxruntime-node ${info.onnxruntime}, ${info.cores} cores, started ${info.startedAt}; ` +
      `load average before ${info.loadBefore.join(' / ')}, after ${info.loadAfter?.join(' / ') ?? '?'}. ` +
      'Sequential calls in one process, after a warm-up; each call includes zod validation of its rows. ' +
      `Load times: ${loads}.`,
    '',
    '| scenario | rows per call | runs | p50 | p99 | mean | rows/s | note |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.scenario} | ${r.batch} | ${r.runs} | ${time(r.p50Ms)} | ${time(r.p99Ms)} | ${time(r.meanMs)} | ${r.rowsPerSec} | ${r.note ?? ''} |`,
    ),
    '',
  ].join('\n');
}

export function writeResults(info: RunInfo, rows: readonly Row[]): string {
  const dir = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  info.loadAfter = load();
  writeFileSync(`${dir}${info.label}.json`, `${JSON.stringify({ ...info, rows }, null, 2)}\n`);
  writeFileSync(`${dir}${info.label}.md`, markdown(info, rows));
  return `${dir}${info.label}.{json,md}`;
}
