import type { RepositoryContext } from './context.ts';

/** A replica asking for up to `want` units of one quota window whose limit is `limit` (> 0). */
export interface LeaseRequest {
  key: string;
  want: number;
  limit: number;
  /** Epoch ms when the window ends. */
  expire: number;
}

/** What one reservation got: `granted` units (0 when the window is used up), `reserved` in the window after it. */
export interface LeaseGrant {
  granted: number;
  reserved: number;
}

// What is left of the window under this limit, never below 0: the grant is the smaller of that and the request.
const left = 'excluded.quota - rate_limits.points';
const grant = `case when rate_limits.points >= excluded.quota then 0
  when excluded.granted <= ${left} then excluded.granted else ${left} end`;

const reserveManyText = (n: number) => `insert into rate_limits (key, points, expire, granted, quota)
  values ${Array(n).fill('(?, ?, ?, ?, ?)').join(', ')}
  on conflict (key) do update set points = rate_limits.points + ${grant}, granted = ${grant}, quota = excluded.quota
  returning key, points, granted`;
const reserveManyTexts = [1, 2].map(reserveManyText);
const reserveMany = (n: number) => reserveManyTexts[n - 1] ?? reserveManyText(n);

const giveBackText = (n: number) => {
  const units = `case key ${Array(n).fill('when ? then cast(? as integer)').join(' ')} end`;
  return `update rate_limits set points = points - ${units}
  where key in (${Array(n).fill('?').join(', ')}) and points >= ${units}`;
};
const giveBackTexts = [1, 2, 3, 4].map(giveBackText);
const giveBack = (n: number) => giveBackTexts[n - 1] ?? giveBackText(n);

/**
 * Quota windows reserved in leases (the `rate_limits` table, one row per user, service and window): a replica
 * reserves a share of a window in one atomic upsert and spends it in memory. The database adds at most
 * `limit − reserved` to a window, whatever the number of replicas asking, so the units reserved in a window never
 * exceed its limit. The same SQL on SQLite and PostgreSQL.
 */
export function quotaLeasesRepository({ db }: RepositoryContext) {
  return {
    /**
     * Reserves up to `want` units of each window, distinct keys, in one statement; the grants in the order of
     * `requests`. Over a lowered limit the grant is 0 until enough is given back.
     */
    async reserve(requests: readonly LeaseRequest[]): Promise<LeaseGrant[]> {
      if (requests.length === 0) return [];
      const rows = await db.sql.write(
        reserveMany(requests.length),
        requests.flatMap((r) => {
          const want = Math.max(0, Math.min(r.want, r.limit));
          return [r.key, want, r.expire, want, r.limit];
        }),
      );
      const byKey = new Map(
        rows.map((r) => [r.key as string, { granted: Number(r.granted), reserved: Number(r.points) }]),
      );
      return requests.map((r) => byKey.get(r.key)!);
    },

    /** Gives unspent units back to their windows (distinct keys) in one statement, so other replicas can use them. */
    async giveBack(returns: readonly { key: string; units: number }[]): Promise<void> {
      const some = returns.filter((r) => r.units > 0);
      if (some.length === 0) return;
      const units = some.flatMap((r) => [r.key, r.units]);
      await db.sql.write(giveBack(some.length), [...units, ...some.map((r) => r.key), ...units]);
    },

    /** The units reserved in a window (0 if it has no row): what tests and the bench compare with the limit. */
    async reserved(key: string): Promise<number> {
      const rows = await db.sql.read('select points from rate_limits where key = ?', [key]);
      return rows.length ? Number(rows[0]!.points) : 0;
    },
  };
}

export type QuotaLeasesRepository = ReturnType<typeof quotaLeasesRepository>;
