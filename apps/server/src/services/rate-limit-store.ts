import type { DriverSql } from '@mlapi/db';

/**
 * Fixed-window counters in the `rate_limits` table, shared by every replica (one atomic upsert per hit, the same
 * SQL on SQLite and PostgreSQL). rate-limiter-flexible was considered: its SQLite store cannot use MikroORM's
 * knex connection, and a second synchronous connection would block the event loop against our own open write
 * transactions; the table layout here is the one that library uses.
 */
export interface Window {
  points: number;
  /** Epoch ms when the window ends. */
  expire: number;
}

const upsertManyText = (n: number) => `insert into rate_limits (key, points, expire) values ${Array(n).fill('(?, 1, ?)').join(', ')}
  on conflict (key) do update set
    points = case when rate_limits.expire <= ? then 1 else rate_limits.points + 1 end,
    expire = case when rate_limits.expire <= ? then excluded.expire else rate_limits.expire end
  returning key, points, expire`;
const upsertManyTexts = [1, 2, 3, 4].map(upsertManyText);
const upsertMany = (n: number) => upsertManyTexts[n - 1] ?? upsertManyText(n);

/**
 * Counts one hit on each of several distinct keys in one statement (one round trip, one commit instead of one per
 * key; a cached prepared statement, as it runs on every model call); the windows in the order of `hits`.
 */
export async function hitMany(sql: DriverSql, hits: { key: string; windowMs: number }[], now: number): Promise<Window[]> {
  if (hits.length === 0) return [];
  const rows = await sql.write(upsertMany(hits.length), [...hits.flatMap((h) => [h.key, now + h.windowMs]), now, now]);
  const byKey = new Map(rows.map((r) => [r.key as string, { points: Number(r.points), expire: Number(r.expire) }]));
  return hits.map((h) => byKey.get(h.key)!);
}

/** Gives one hit back to a window that is still open (a reserved attempt that turned out not to count). */
export async function refund(sql: DriverSql, key: string, now: number): Promise<void> {
  await sql.write('update rate_limits set points = points - 1 where key = ? and expire > ? and points > 0', [key, now]);
}

export async function reset(sql: DriverSql, key: string): Promise<void> {
  await sql.write('delete from rate_limits where key = ?', [key]);
}

/** Removes windows that ended more than an hour ago. */
export async function sweep(sql: DriverSql, now: number): Promise<void> {
  await sql.write('delete from rate_limits where expire < ?', [now - 3_600_000]);
}
