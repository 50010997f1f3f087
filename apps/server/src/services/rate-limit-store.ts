import type { DriverSql, Em } from '@mlapi/db';

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

const upsert = `insert into rate_limits (key, points, expire) values (?, 1, ?)
  on conflict (key) do update set
    points = case when rate_limits.expire <= ? then 1 else rate_limits.points + 1 end,
    expire = case when rate_limits.expire <= ? then excluded.expire else rate_limits.expire end
  returning points, expire`;

/** Counts one hit on `key` in a window of `windowMs`; returns the count so far and when the window ends. */
export async function hit(em: Em, key: string, windowMs: number, now: number): Promise<Window> {
  const [row] = await em.getConnection().execute<{ points: number | string; expire: number | string }[]>(upsert, [key, now + windowMs, now, now], 'all');
  return { points: Number(row!.points), expire: Number(row!.expire) };
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

/** The current count of `key` without counting (0 once its window has ended). */
export async function peek(em: Em, key: string, now: number): Promise<Window> {
  const [row] = await em.getConnection().execute<{ points: number | string; expire: number | string }[]>(
    'select points, expire from rate_limits where key = ? and expire > ?',
    [key, now],
    'all',
  );
  return row ? { points: Number(row.points), expire: Number(row.expire) } : { points: 0, expire: now };
}

export async function reset(em: Em, key: string): Promise<void> {
  await em.getConnection().execute('delete from rate_limits where key = ?', [key], 'run');
}

/** Removes windows that ended more than an hour ago. */
export async function sweep(em: Em, now: number): Promise<void> {
  await em.getConnection().execute('delete from rate_limits where expire < ?', [now - 3_600_000], 'run');
}
