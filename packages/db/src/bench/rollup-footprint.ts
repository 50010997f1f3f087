import type { Database } from '../orm.ts';
import {
  callRollups,
  confusionRollups,
  regressionRollups,
  userDayRollups,
  userRollups,
} from '../rollups/rollup-shapes.ts';

export interface TableFootprint {
  table: string;
  /** Rows now; null for the raw logs (counting millions of rows costs more than it tells). */
  rows: number | null;
  /** Bytes on disk with its indexes; null when the database cannot say. */
  bytes: number | null;
}

export interface Footprint {
  /** How bytes were measured. */
  method: string;
  rollups: TableFootprint[];
  /** The raw logs the rollups summarise, for scale. */
  logs: TableFootprint[];
}

const rollupTables = [callRollups, userRollups, userDayRollups, confusionRollups, regressionRollups].map(
  (s) => s.table,
);
const logTables = ['service_calls', 'prediction_logs'];

/**
 * Rows and bytes (table and indexes) of the rollup tables and the raw logs. PostgreSQL: `pg_total_relation_size`;
 * SQLite: the `dbstat` virtual table (pages of each table and of its indexes), when the library was built with it.
 */
export async function rollupFootprint(db: Database): Promise<Footprint> {
  const bytes = await sizes(db);
  const rows = async (table: string) => Number((await db.sql.read(`select count(*) as n from ${table}`, []))[0]?.n);
  const footprint = async (table: string, counted: boolean): Promise<TableFootprint> => ({
    table,
    rows: counted ? await rows(table) : null,
    bytes: bytes.of.get(table) ?? null,
  });
  return {
    method: bytes.method,
    rollups: await Promise.all(rollupTables.map((t) => footprint(t, true))),
    logs: await Promise.all(logTables.map((t) => footprint(t, false))),
  };
}

async function sizes(db: Database): Promise<{ method: string; of: Map<string, number> }> {
  const tables = [...rollupTables, ...logTables];
  if (db.target.dialect === 'postgresql') {
    const of = new Map<string, number>();
    for (const table of tables) {
      // Over a partitioned table's partitions (its parent holds no rows); pg_partition_tree is empty for a plain one.
      const [row] = await db.sql.read(
        `select coalesce((select sum(pg_total_relation_size(relid)) from pg_partition_tree(?::regclass)),
           pg_total_relation_size(?::regclass)) as bytes`,
        [table, table],
      );
      of.set(table, Number(row?.bytes));
    }
    return { method: 'pg_total_relation_size (table, indexes, TOAST; every partition)', of };
  }
  try {
    const rows = await db.sql.read(
      `select m.tbl_name as tbl, sum(d.pgsize) as bytes from dbstat d join sqlite_master m on m.name = d.name
       where m.tbl_name in (${tables.map(() => '?').join(', ')}) group by m.tbl_name`,
      tables,
    );
    return {
      method: 'SQLite dbstat (pages of the table and its indexes)',
      of: new Map(rows.map((r) => [String(r.tbl), Number(r.bytes)])),
    };
  } catch {
    return { method: 'unavailable: this SQLite has no dbstat table', of: new Map() };
  }
}
