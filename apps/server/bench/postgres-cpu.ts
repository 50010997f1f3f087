/**
 * The CPU time PostgreSQL spends for a bench: the postmaster and every process it started — backends, background
 * processes (WAL writer, checkpointer, …) and the autovacuum workers — including those that ended in between (their
 * time is the postmaster's reaped children's time). Read from /proc, so only for a server on this machine; it
 * counts the whole cluster, so a bench should be the only thing using it.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import { procStat } from './bench-processes.ts';

const run = promisify(execFile);

/** The postmaster: the parent of the checkpointer, which lives as long as the server does. */
async function postmasterPid(databaseUrl: string): Promise<number | null> {
  const sql = "SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'";
  const { stdout } = await run('psql', [databaseUrl, '-Atc', sql]);
  const checkpointer = Number(stdout.trim());
  if (!checkpointer || !existsSync(`/proc/${checkpointer}/stat`)) return null;
  return procStat(checkpointer).ppid;
}

/** CPU seconds of `postmaster`, its reaped children and its live children. */
function clusterSeconds(postmaster: number): number {
  const own = procStat(postmaster);
  let total = own.cpuSeconds + own.reapedChildrenCpuSeconds;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === postmaster) continue;
    try {
      const child = procStat(entry);
      if (child.ppid === postmaster) total += child.cpuSeconds;
    } catch {
      /* ended meanwhile: its time is in the postmaster's reaped children's */
    }
  }
  return total;
}

export interface PostgresCpu {
  /** The cluster's CPU seconds so far. */
  sample(): number;
}

/** Null when PostgreSQL does not run on this machine (its processes are not in /proc). */
export async function postgresCpu(databaseUrl: string): Promise<PostgresCpu | null> {
  const postmaster = await postmasterPid(databaseUrl);
  if (!postmaster) return null;
  return { sample: () => clusterSeconds(postmaster) };
}
