/** One load of a bench: autocannon against a child process for a fixed time, with what it cost the process. */
import autocannon from 'autocannon';
import type { Child } from './bench-processes.ts';

export interface Load {
  target: Child;
  method: 'GET' | 'POST';
  path: string;
  body?: string | undefined;
  headers: Record<string, string>;
  connections: number;
  seconds: number;
}

export interface LoadResult {
  /** Replies in the whole run (2xx or not). */
  requests: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Non-2xx replies plus connection errors and timeouts. */
  errors: number;
  /** The target's CPU time (user + system) per request served, µs. */
  cpuUsPerReq: number;
  /** The target's RSS right after the load, and its peak so far (MB). */
  rssMb: number;
  peakRssMb: number;
}

export async function runLoad(load: Load): Promise<LoadResult> {
  const cpuBefore = load.target.cpuSeconds();
  const result = await autocannon({
    url: load.target.url + load.path,
    method: load.method,
    headers: load.headers,
    body: load.body,
    connections: load.connections,
    duration: load.seconds,
    timeout: 30,
  });
  const cpuUsPerReq = Math.round(((load.target.cpuSeconds() - cpuBefore) / Math.max(1, result.requests.total)) * 1e6);
  const memory = load.target.memory();
  return {
    requests: result.requests.total,
    reqPerSec: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.non2xx + result.errors,
    cpuUsPerReq,
    rssMb: memory.rssMb,
    peakRssMb: memory.peakMb,
  };
}
