import type { RunInTransaction } from '../driver-sql.ts';
import type { Dialect } from '../dialect.ts';

/** A rollup table as the upsert sees it: the key columns, the columns that add up, and those that keep a maximum. */
export interface RollupShape {
  table: string;
  keys: readonly string[];
  sums: readonly string[];
  maxima?: readonly string[];
}

/** One row to add: key values, then the sums, then the maxima, in the shape's column order. */
export type RollupRow = readonly unknown[];

/** Rows per statement: a run is cut into these sizes, so each table has a handful of statement texts to cache. */
const chunkSizes = [64, 16, 4, 1];
const texts = new Map<string, string>();

/** The columns of a shape's rows, in {@link RollupRow} order. */
export const rollupColumns = (shape: RollupShape): string[] => [...shape.keys, ...shape.sums, ...(shape.maxima ?? [])];

/** `on conflict (keys) do update set …`: a key already there gets the sums added and the maxima kept. */
export function addToExisting(dialect: Dialect, shape: RollupShape): string {
  const greatest = dialect.name === 'sqlite' ? 'max' : 'greatest';
  const set = [
    ...shape.sums.map((c) => `${c} = ${shape.table}.${c} + excluded.${c}`),
    ...(shape.maxima ?? []).map((c) => `${c} = ${greatest}(${shape.table}.${c}, excluded.${c})`),
  ];
  return `on conflict (${shape.keys.join(', ')}) do update set ${set.join(', ')}`;
}

function statement(dialect: Dialect, shape: RollupShape, rows: number): string {
  const id = `${dialect.name}:${shape.table}:${rows}`;
  let text = texts.get(id);
  if (text) return text;
  const columns = rollupColumns(shape);
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  text =
    `insert into ${shape.table} (${columns.join(', ')}) values ${Array(rows).fill(tuple).join(', ')} ` +
    addToExisting(dialect, shape);
  texts.set(id, text);
  return text;
}

/** Orders rows by their key (numbers numerically, the rest as strings): the order every writer locks them in. */
function byKey(keyCount: number) {
  return (a: RollupRow, b: RollupRow): number => {
    for (let i = 0; i < keyCount; i++) {
      const x = a[i];
      const y = b[i];
      if (x === y) continue;
      if (typeof x === 'number' && typeof y === 'number') return x - y;
      return String(x) < String(y) ? -1 : 1;
    }
    return 0;
  };
}

/**
 * Adds rows (one per key: the caller sums per key first) to a rollup table inside the caller's transaction, in key
 * order: two replicas committing overlapping keys lock them in the same order, so they wait for each other instead
 * of deadlocking. A key not there yet is inserted.
 */
export async function upsertSums(
  run: RunInTransaction,
  dialect: Dialect,
  shape: RollupShape,
  rows: RollupRow[],
): Promise<void> {
  const sorted = [...rows].sort(byKey(shape.keys.length));
  let start = 0;
  for (const size of chunkSizes) {
    for (; sorted.length - start >= size; start += size) {
      const params = sorted.slice(start, start + size).flatMap((row) => row.map((v) => dialect.bind(v)));
      await run(statement(dialect, shape, size), params);
    }
  }
}
