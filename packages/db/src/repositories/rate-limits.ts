import type { RepositoryContext } from './context.ts';

/** One fixed window's count after a hit. */
export interface Window {
  points: number;
  /** Epoch ms when the window ends. */
  expire: number;
}

const upsertManyText = (
  n: number,
) => `insert into rate_limits (key, points, expire) values ${Array(n).fill('(?, 1, ?)').join(', ')}
  on conflict (key) do update set
    points = case when rate_limits.expire <= ? then 1 else rate_limits.points + 1 end,
    expire = case when rate_limits.expire <= ? then excluded.expire else rate_limits.expire end
  returning key, points, expire`;
const upsertManyTexts = [1, 2, 3, 4].map(upsertManyText);
const upsertMany = (n: number) => upsertManyTexts[n - 1] ?? upsertManyText(n);

/**
 * Fixed-window counters in the `rate_limits` table, shared by every replica (one atomic upsert per hit, the same
 * SQL on SQLite and PostgreSQL). `expire` is epoch milliseconds on both. rate-limiter-flexible was considered: its
 * SQLite store cannot use MikroORM's connection, and a second synchronous connection would block the event loop
 * against our own open write transactions; the table layout here is the one that library uses.
 */
export function rateLimitsRepository({ db }: RepositoryContext) {
  return {
    /**
     * Counts one hit on each of several distinct keys in one statement (one round trip and one commit instead of
     * one per key; a cached prepared statement, as it runs on every model call); the windows in the order of `hits`.
     */
    async hitMany(hits: readonly { key: string; windowMs: number }[], now: number): Promise<Window[]> {
      if (hits.length === 0) return [];
      const rows = await db.sql.write(upsertMany(hits.length), [
        ...hits.flatMap((h) => [h.key, now + h.windowMs]),
        now,
        now,
      ]);
      const byKey = new Map(rows.map((r) => [r.key as string, { points: Number(r.points), expire: Number(r.expire) }]));
      return hits.map((h) => byKey.get(h.key)!);
    },

    /** Gives one hit back to a window that is still open (a reserved attempt that turned out not to count). */
    async refund(key: string, now: number): Promise<void> {
      await db.sql.write('update rate_limits set points = points - 1 where key = ? and expire > ? and points > 0', [
        key,
        now,
      ]);
    },

    async reset(key: string): Promise<void> {
      await db.sql.write('delete from rate_limits where key = ?', [key]);
    },

    /** Removes windows that ended more than an hour ago. */
    async sweep(now: number): Promise<void> {
      await db.sql.write('delete from rate_limits where expire < ?', [now - 3_600_000]);
    },
  };
}

export type RateLimitsRepository = ReturnType<typeof rateLimitsRepository>;
