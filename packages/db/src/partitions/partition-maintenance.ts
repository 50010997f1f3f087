import type { RunInTransaction } from '../driver-sql.ts';
import type { Database } from '../orm.ts';
import { monthPartitionsSql, partitionedTables, type PartitionedTable } from './partition-sql.ts';

interface Partition {
  name: string;
  /** The end (exclusive) of its range; null for the default partition. */
  end: Date | null;
  /** The planner's estimate of its rows (counting a month at volume would take long). */
  rows: number;
}

/** `'2027-01-01 00:00:00+00'` (as pg_get_expr writes a bound, in the session's zone) → its instant. */
function boundInstant(text: string): Date {
  const m = /'(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.\d+)?([+-]\d{2})(?::?(\d{2}))?'\)\s*$/.exec(text);
  if (!m) throw new Error(`unexpected partition bound: ${text}`);
  return new Date(`${m[1]}T${m[2]}${m[3]}:${m[4] ?? '00'}`);
}

async function partitionsOf(run: RunInTransaction, t: PartitionedTable): Promise<Partition[]> {
  const rows = await run(
    `select c.relname as name, pg_get_expr(c.relpartbound, c.oid) as bound, c.reltuples as rows
     from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = ?::regclass`,
    [t.table],
  );
  return rows.map((r) => {
    const bound = String(r.bound);
    return {
      name: String(r.name),
      end: bound === 'DEFAULT' ? null : boundInstant(bound),
      rows: Math.max(0, Number(r.rows)),
    };
  });
}

/** Makes the month partitions of this month and the next ones (monthsAhead) that are missing. */
export async function ensureMonthPartitions(db: Database): Promise<void> {
  for (const t of partitionedTables) await db.sql.write(monthPartitionsSql(t, 'null'), []);
}

/**
 * Detaches and drops every month partition that ends at or before `cutoff` (so no row at or after it goes), one
 * transaction each; returns the rows they held per table, as estimated.
 */
export async function dropMonthsBefore(
  db: Database,
  cutoff: Date,
  signal?: AbortSignal,
): Promise<{ calls: number; predictions: number; shadowPredictions: number; stopped: boolean }> {
  const gone = { calls: 0, predictions: 0, shadowPredictions: 0, stopped: false };
  for (const t of partitionedTables) {
    const old = (await db.sql.transaction((run) => partitionsOf(run, t))).filter(
      (p) => p.end !== null && p.end.getTime() <= cutoff.getTime(),
    );
    for (const p of old) {
      if (signal?.aborted) return { ...gone, stopped: true };
      await db.sql.transaction(async (run) => {
        await run(`alter table "${t.table}" detach partition "${p.name}"`, []);
        await run(`drop table "${p.name}"`, []);
      });
      gone[t.counted] += p.rows;
    }
  }
  return gone;
}
