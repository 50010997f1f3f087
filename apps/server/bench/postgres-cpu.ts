/**
 * The CPU time PostgreSQL spends for a bench: its backends serving the bench's database and its background
 * processes (WAL writer, checkpointer, …), read from /proc, so only for a server on this machine.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { cpuSecondsOf } from './bench-processes.ts';

const run = promisify(execFile);

/** Backends of `databaseUrl`'s database (this query's own excepted) and the background processes; psql asks. */
async function postgresPids(databaseUrl: string): Promise<number[]> {
  const sql =
    "SELECT pid FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND (datname = current_database() OR backend_type <> 'client backend')";
  const { stdout } = await run('psql', [databaseUrl, '-Atc', sql]);
  return stdout.split('\n').filter(Boolean).map(Number);
}

export interface PostgresCpu {
  /** CPU seconds per pid now. */
  sample(): Promise<Map<number, number>>;
  /** CPU seconds between two samples; a backend that ended in between is missed (counted in `lost`). */
  between(before: Map<number, number>, after: Map<number, number>): { seconds: number; lost: number };
}

/** Null when PostgreSQL does not run on this machine (its processes are not in /proc). */
export async function postgresCpu(databaseUrl: string): Promise<PostgresCpu | null> {
  const pids = await postgresPids(databaseUrl);
  if (pids.length === 0 || !pids.every((pid) => existsSync(`/proc/${pid}/stat`))) return null;
  return {
    sample: async () => {
      const cpu = new Map<number, number>();
      for (const pid of await postgresPids(databaseUrl)) {
        try {
          cpu.set(pid, cpuSecondsOf(pid));
        } catch {
          /* ended meanwhile */
        }
      }
      return cpu;
    },
    between: (before, after) => {
      let seconds = 0;
      for (const [pid, cpu] of after) seconds += cpu - (before.get(pid) ?? 0);
      return { seconds, lost: [...before.keys()].filter((pid) => !after.has(pid)).length };
    },
  };
}
