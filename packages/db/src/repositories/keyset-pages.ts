import { maxExactTotal } from '@mlapi/schemas';
import type { DriverSql } from '../driver-sql.ts';
import type { Counted } from '../records.ts';

/**
 * How many rows `from <fromWhere>` holds, counted up to {@link maxExactTotal}: the count runs over a subquery that
 * stops at one row past it, so it costs the same at ten thousand rows and at ten million.
 */
export async function cappedTotal(
  sql: DriverSql,
  fromWhere: string,
  params: unknown[],
): Promise<Pick<Counted<never>, 'total' | 'totalExact'>> {
  const [row] = await sql.read(
    `select count(*) as n from (select 1 from ${fromWhere} limit ${maxExactTotal + 1}) capped`,
    params,
  );
  const n = Number(row?.n ?? 0);
  return n > maxExactTotal ? { total: maxExactTotal, totalExact: false } : { total: n, totalExact: true };
}

/**
 * A page from rows read one past its `limit`: the page, and the sort key of its last row when that extra row shows
 * that more follow.
 */
export function keysetPage<T>(
  rows: T[],
  limit: number,
  keyOf: (row: T) => readonly number[],
): Pick<Counted<T>, 'items' | 'next'> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, next: rows.length > limit && last !== undefined ? keyOf(last) : null };
}
