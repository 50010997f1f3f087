import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bucketMs,
  createRepositories,
  openDatabase,
  percentile,
  rebuildRollups,
  snapWindow,
  type Database,
  type LoggedCall,
  type NewShadowPrediction,
  type Repositories,
} from '../src/index.ts';
import { dialectOf } from '../src/dialect.ts';
import { binCount, binOf, binSql } from '../src/rollups/latency-histogram.ts';
import type { ZoneShift } from '../src/rollups/buckets.ts';
import { createTestDatabase, testDialects } from '../src/testing.ts';
import { newUser } from './fixtures.ts';

/** A seeded generator, so a failure can be replayed. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Durations spread over four decades, as a model service's are. */
const duration = (r: () => number) => 0.05 * 10 ** (r() * 4);

const exactPercentile = (sorted: number[], p: number) => sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]!;

describe('the latency histogram', () => {
  it('reads every percentile within 10 % of the exact nearest-rank value', () => {
    const r = random(7);
    for (const n of [1, 2, 17, 1000, 20_000]) {
      const values = Array.from({ length: n }, () => duration(r)).sort((a, b) => a - b);
      const bins = Array<number>(binCount).fill(0);
      for (const v of values) bins[binOf(v)]!++;
      for (const p of [1, 50, 90, 95, 99, 99.9, 100]) {
        const exact = exactPercentile(values, p);
        const estimate = percentile(bins, p, values.at(-1)!)!;
        expect(Math.abs(estimate - exact) / exact).toBeLessThanOrEqual(0.1);
      }
    }
    expect(percentile(Array<number>(binCount).fill(0), 50, 0)).toBeNull();
  });
});

describe.each(testDialects)('rollups on %s', (dialect) => {
  const testDb = createTestDatabase(dialect);
  let db: Database;
  let data: Repositories;
  const owners: number[] = [];
  const r = random(42);
  // Three days of calls, starting mid-bucket: windows with whole UTC days and partial ones.
  const start = Date.UTC(2026, 10, 2, 10, 7);
  const span = 3 * 86_400_000;

  const call = (): LoggedCall => {
    const success = r() > 0.1;
    const service = r() > 0.5 ? 'v2' : 'v1';
    const modelVersion = r() > 0.3 ? `${service}.1` : `${service}.2`;
    const at = new Date(start + Math.floor(r() * span));
    return {
      call: {
        serviceVersion: service,
        success,
        error: success ? null : 'refused',
        owner: owners[Math.floor(r() * owners.length)]!,
        requestTime: at,
        completionTime: at,
        duration: duration(r),
        modelVersion: r() > 0.05 ? modelVersion : null,
      },
      predictions: success
        ? [
            {
              serviceVersion: service,
              modelName: 'm',
              modelVersion,
              input: {},
              output: {},
              predictedValue: service === 'v2' ? 10 + r() * 40 : null,
              predictedLabel: service === 'v1' ? (r() > 0.5 ? 'spam' : 'ham') : null,
              createdAt: at,
            },
          ]
        : [],
    };
  };

  /** Logs calls in batches of random sizes; the ids of their predictions. */
  async function logCalls(n: number): Promise<number[]> {
    const ids: number[] = [];
    for (let done = 0; done < n;) {
      const size = Math.min(n - done, 1 + Math.floor(r() * 40));
      const batch = Array.from({ length: size }, call);
      for (const p of await data.callLog.insertBatch(batch)) ids.push(...p);
      done += size;
    }
    return ids;
  }

  /** A shadow candidate's answers to some predictions' inputs (a few failed), made just after them. */
  async function shadowSome(ids: number[]): Promise<void> {
    const d = dialectOf(dialect);
    const rows: NewShadowPrediction[] = [];
    for (const id of ids) {
      if (r() > 0.5) continue;
      const [p] = await db.sql.read('select service_version, created_at from prediction_logs where id = ?', [id]);
      const service = p!.service_version as 'v1' | 'v2';
      const success = r() > 0.05;
      const label = r() > 0.5 ? 'spam' : 'ham';
      rows.push({
        predictionId: id,
        serviceVersion: service,
        modelVersion: `${service}.shadow`,
        success,
        error: success ? null : 'candidate failed',
        duration: duration(r),
        output: success ? {} : null,
        predictedValue: success && service === 'v2' ? 10 + r() * 40 : null,
        predictedLabel: success && service === 'v1' ? label : null,
        createdAt: new Date(d.date(p!.created_at).getTime() + Math.floor(r() * 50)),
      });
    }
    for (let i = 0; i < rows.length; i += 100) await data.shadowPredictions.insertBatch(rows.slice(i, i + 100));
  }

  /** Gives feedback on some predictions, and corrects some of it. */
  async function giveFeedback(ids: number[]): Promise<void> {
    for (const id of ids) {
      if (r() > 0.4) continue;
      const [row] = await db.sql.read('select predicted_label from prediction_logs where id = ?', [id]);
      const truth = () => (row?.predicted_label == null ? 10 + r() * 40 : r() > 0.5 ? 'spam' : 'ham');
      await data.predictions.recordTruth(id, truth(), new Date());
      if (r() > 0.7) await data.predictions.recordTruth(id, truth(), new Date());
    }
  }

  const rollupTables = [
    'call_rollups',
    'user_rollups',
    'user_day_rollups',
    'confusion_rollups',
    'regression_rollups',
    'shadow_rollups',
  ];
  const snapshot = async () => {
    const out: Record<string, unknown[]> = {};
    for (const table of rollupTables) {
      const rows = await db.sql.read(`select * from ${table}`, []);
      out[table] = rows
        .map((row) =>
          Object.fromEntries(
            Object.entries(row).map(([k, v]) => [k, typeof v === 'number' || typeof v === 'string' ? roundish(v) : v]),
          ),
        )
        .filter((row) => !Object.entries(row).some(([k, v]) => ['calls', 'count', 'n'].includes(k) && v === 0))
        .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
    }
    return out;
  };

  beforeAll(async () => {
    db = await openDatabase(testDb.url);
    data = createRepositories(db);
    for (let i = 0; i < 6; i++)
      owners.push((await data.users.insert(newUser(`u${i}@example.com`, { hasAccessV2: true }))).id);
    const ids = await logCalls(1500);
    // Shadows made before the feedback and after it (a slow candidate): both are scored.
    await shadowSome(ids.slice(0, 700));
    await giveFeedback(ids);
    await shadowSome(ids.slice(700));
  });
  afterAll(async () => {
    await db?.close();
    await testDb.drop();
  });

  it('bins a duration in SQL exactly as the writer does', async () => {
    const values = [0, 0.005, 0.01, 0.0120001, 0.5, 1, 3.7, 42, 999.9, 12_345, 62_000, 70_000, 1e7];
    for (let i = 0; i < 200; i++) values.push(duration(r));
    const least = dialect === 'sqlite' ? 'min' : 'least';
    for (const v of values) {
      const [row] = await db.sql.read(
        `select ${binSql('v', least)} as bin from (select cast(? as double precision) as v) t`,
        [v],
      );
      expect([v, Number(row?.bin)]).toEqual([v, binOf(v)]);
    }
  });

  // A window that starts and ends inside buckets: the reads widen it to whole ones.
  const from = new Date(start + 20 * 60_000);
  const to = new Date(start + span - 50 * 60_000);
  const snapped = {
    from: Math.floor(from.getTime() / bucketMs) * bucketMs,
    to: Math.ceil(to.getTime() / bucketMs) * bucketMs,
  };
  const raw = (where = '') => {
    const d = dialectOf(dialect);
    return {
      text: `request_time >= ? and request_time < ?${where}`,
      params: [d.bind(new Date(snapped.from)), d.bind(new Date(snapped.to))],
    };
  };

  it('counts every call of the window per local hour, service and outcome, as the raw rows do', async () => {
    const w = raw();
    const d = dialectOf(dialect);
    const perBucket = await db.sql.read(
      `select ${d.bucket('request_time', bucketMs)} as bucket, service_version, success, count(*) as n
       from service_calls where ${w.text} group by 1, 2, 3`,
      w.params,
    );
    const key = (h: number, s: string, ok: boolean) => `${h}/${s}/${ok}`;
    const first = Math.floor(snapped.from / bucketMs);
    const middle = first + Math.floor((snapped.to - snapped.from) / bucketMs / 2);
    // UTC; India's +5:30 (22 buckets); a made-up change of offset from +1 h to +2 h halfway through the window.
    const zones: ZoneShift[][] = [
      [],
      [{ from: first, buckets: 22 }],
      [
        { from: first, buckets: 4 },
        { from: middle, buckets: 8 },
      ],
    ];
    for (const shifts of zones) {
      const shiftOf = (bucket: number) => shifts.findLast((s) => s.from <= bucket)?.buckets ?? 0;
      const expected = new Map<string, number>();
      for (const e of perBucket) {
        const hour = Math.floor((Number(e.bucket) + shiftOf(Number(e.bucket))) / 4);
        const k = key(hour, String(e.service_version), d.bool(e.success));
        expected.set(k, (expected.get(k) ?? 0) + Number(e.n));
      }
      const got = await data.usage.hours({ from, to }, shifts);
      expect(new Map(got.map((g) => [key(g.hour, g.service, g.success), g.calls]))).toEqual(expected);
    }
    expect(new Set(perBucket.map((e) => Math.floor(Number(e.bucket) / 4))).size).toBeGreaterThan(2);
    const mine = await data.usage.hours({ from, to, userId: owners[0], service: 'v2' }, []);
    const [own] = await db.sql.read(
      `select count(*) as n from service_calls where ${w.text} and owner_id = ? and service_version = ?`,
      [...w.params, owners[0], 'v2'],
    );
    expect(mine.reduce((s, h) => s + h.calls, 0)).toBe(Number(own?.n));
    expect(Number(own?.n)).toBeGreaterThan(0);
  });

  it('ranks the top users as the raw rows do, over whole days, partial ones and both', async () => {
    const d = dialectOf(dialect);
    const day = Date.UTC(2026, 10, 3);
    const windows: [Date, Date, ('v1' | 'v2')?][] = [
      [from, to], // a partial day, a whole one, a partial one
      [from, to, 'v2'],
      [new Date(day), new Date(day + 86_400_000)], // exactly one day
      [new Date(day + 3_600_000), new Date(day + 5 * 3_600_000)], // within one day
      [new Date(day - 3_600_000), new Date(day + 3_600_000), 'v1'], // across midnight, no whole day
    ];
    for (const [first, last, service] of windows) {
      const w = snapWindow(first, last);
      const expected = await db.sql.read(
        `select owner_id, count(*) as n from service_calls where request_time >= ? and request_time < ?
         ${service ? 'and service_version = ?' : ''} group by owner_id order by n desc, owner_id asc`,
        [d.bind(w.from), d.bind(w.to), ...(service ? [service] : [])],
      );
      const got = await data.usage.topUsers({ from: first, to: last, service }, 10);
      expect(got.map((u) => [u.userId, u.calls])).toEqual(expected.map((e) => [Number(e.owner_id), Number(e.n)]));
      expect(got.length).toBeGreaterThan(0);
    }
  });

  it('reads latency percentiles within 10 % of the exact ones, and the exact maximum', async () => {
    const w = raw(' and success = ? and service_version = ?');
    const durations = (
      await db.sql.read(`select duration from service_calls where ${w.text} order by duration`, [
        ...w.params,
        dialectOf(dialect).bind(true),
        'v1',
      ])
    ).map((row) => Number(row.duration));
    const histogram = await data.usage.latency({ from, to, service: 'v1' });
    expect(histogram.count).toBe(durations.length);
    expect(histogram.max).toBe(durations.at(-1));
    for (const p of [50, 95, 99]) {
      const exact = exactPercentile(durations, p);
      expect(Math.abs(percentile(histogram.bins, p, histogram.max!)! - exact) / exact).toBeLessThanOrEqual(0.1);
    }
  });

  it('keeps MAE, RMSE and R² sums and confusion counts equal to the raw feedback, corrections included', async () => {
    const d = dialectOf(dialect);
    const params = [d.bind(new Date(snapped.from)), d.bind(new Date(snapped.to))];
    const [sums] = await db.sql.read(
      `select count(*) as n, sum(abs(true_value - predicted_value)) as sae,
         sum((true_value - predicted_value) * (true_value - predicted_value)) as sse, sum(true_value) as st,
         sum(true_value * true_value) as stt
       from prediction_logs where created_at >= ? and created_at < ? and true_value is not null and model_version = ?`,
      [...params, 'v2.1'],
    );
    const [got] = await data.predictions.regressionSums({ service: 'v2', modelVersion: 'v2.1', from, to });
    expect(got!.n).toBe(Number(sums?.n));
    expect(got!.n).toBeGreaterThan(10);
    expect(got!.sumAbsError).toBeCloseTo(Number(sums?.sae), 6);
    expect(got!.sumSqError).toBeCloseTo(Number(sums?.sse), 4);
    expect(got!.sumActual).toBeCloseTo(Number(sums?.st), 6);
    expect(got!.sumSqActual).toBeCloseTo(Number(sums?.stt), 4);

    const counts = await db.sql.read(
      `select model_version, predicted_label, true_label, count(*) as n from (
         select model_version, predicted_label, true_label, created_at from prediction_logs
         union all select model_version, predicted_label, true_label, created_at from shadow_predictions) scored
       where created_at >= ? and created_at < ? and true_label is not null and predicted_label is not null
       group by 1, 2, 3`,
      params,
    );
    const confusion = await data.predictions.confusionCounts({ service: 'v1', from, to });
    const key = (v: unknown, p: unknown, a: unknown) => `${String(v)}/${String(p)}/${String(a)}`;
    expect(new Map(confusion.map((c) => [key(c.modelVersion, c.predicted, c.actual), c.count]))).toEqual(
      new Map(counts.map((c) => [key(c.model_version, c.predicted_label, c.true_label), Number(c.n)])),
    );
  });

  it("scores feedback on a prediction for its shadow too, under the candidate's version", async () => {
    const d = dialectOf(dialect);
    const params = [d.bind(new Date(snapped.from)), d.bind(new Date(snapped.to))];
    const [sums] = await db.sql.read(
      `select count(*) as n, sum(abs(true_value - predicted_value)) as sae from shadow_predictions
       where created_at >= ? and created_at < ? and true_value is not null and success`,
      params,
    );
    // Every shadow of a prediction with feedback has its truth, whether it was made before the feedback or after.
    const [unscored] = await db.sql.read(
      `select count(*) as n from shadow_predictions s join prediction_logs p on p.id = s.prediction_id
       where s.success and (p.true_value is not null or p.true_label is not null)
         and s.true_value is null and s.true_label is null`,
      [],
    );
    expect(Number(unscored?.n)).toBe(0);
    const [got] = await data.predictions.regressionSums({ service: 'v2', modelVersion: 'v2.shadow', from, to });
    expect(got!.n).toBe(Number(sums?.n));
    expect(got!.n).toBeGreaterThan(10);
    expect(got!.sumAbsError).toBeCloseTo(Number(sums?.sae), 6);
    const [labels] = await db.sql.read(
      `select count(*) as n from shadow_predictions p join prediction_logs l on l.id = p.prediction_id
       where p.success and p.true_label = l.true_label and p.created_at >= ? and p.created_at < ?`,
      params,
    );
    const confusion = await data.predictions.confusionCounts({ service: 'v1', modelVersion: 'v1.shadow', from, to });
    expect(confusion.reduce((n, c) => n + c.count, 0)).toBe(Number(labels?.n));
  });

  it('counts a version’s shadow predictions, failures and latency with its calls', async () => {
    const d = dialectOf(dialect);
    const params = [d.bind(new Date(snapped.from)), d.bind(new Date(snapped.to))];
    const [raw] = await db.sql.read(
      `select count(*) as n, sum(case when success then 0 else 1 end) as failed from shadow_predictions
       where service_version = 'v2' and created_at >= ? and created_at < ?`,
      params,
    );
    const [live, shadow] = await data.usage.byModelVersion({ service: 'v2', from, to }, ['v2.1', 'v2.shadow']);
    expect(live!.shadow).toBe(0);
    expect(shadow!.calls).toBe(Number(raw?.n));
    expect(shadow!.shadow).toBe(Number(raw?.n));
    expect(shadow!.failures).toBe(Number(raw?.failed));
    expect(shadow!.latency.count).toBe(shadow!.calls - shadow!.failures);
  });

  it('rebuilds the same rollups from the raw rows, idempotently', async () => {
    const before = await snapshot();
    expect(before.call_rollups!.length).toBeGreaterThan(10);
    for (const table of rollupTables) await db.sql.write(`delete from ${table}`, []);
    const first = await rebuildRollups(db, { chunkBuckets: 3 });
    expect(first.calls).toBe(1500);
    expect(first.shadowPredictions).toBeGreaterThan(300);
    expect(await snapshot()).toEqual(before);
    await rebuildRollups(db);
    expect(await snapshot()).toEqual(before);
  });

  it('writers that commit together do not deadlock, and a rebuild while they write loses nothing', async () => {
    const writers = Array.from({ length: 8 }, () => logCalls(150));
    const rebuild = rebuildRollups(db, { chunkBuckets: 1 });
    await Promise.all([...writers, rebuild]);
    const afterLoad = await snapshot();
    await rebuildRollups(db);
    expect(await snapshot()).toEqual(afterLoad);
  });

  it('never erases the rollups of buckets whose raw rows are gone', async () => {
    const before = await snapshot();
    // The first hour's raw rows age out: its rollups stay, the rest is rebuilt as before.
    const cut = dialectOf(dialect).bind(new Date(Math.ceil(start / 3_600_000) * 3_600_000));
    await db.sql.write('delete from service_calls where request_time < ?', [cut]);
    const later = await rebuildRollups(db, { from: new Date(start - 86_400_000), to: new Date(start + span) });
    expect(later.skipped).toBeGreaterThan(0);
    expect(await snapshot()).toEqual(before);
  });

  it('rebuilds by default from the oldest call or prediction, so feedback older than every call is summed', async () => {
    const d = dialectOf(dialect);
    const [row] = await db.sql.read(
      'select id from prediction_logs where true_label is not null or true_value is not null order by id limit 1',
      [],
    );
    const old = new Date(start - 10 * 86_400_000);
    await db.sql.write('update prediction_logs set created_at = ? where id = ?', [d.bind(old), row?.id]);
    const progress = await rebuildRollups(db);
    expect(progress.from.getTime()).toBe(Math.floor(old.getTime() / bucketMs) * bucketMs);
    const bucket = Math.floor(old.getTime() / bucketMs);
    const [confusion] = await db.sql.read('select sum(count) as n from confusion_rollups where bucket = ?', [bucket]);
    const [regression] = await db.sql.read('select sum(n) as n from regression_rollups where bucket = ?', [bucket]);
    expect(Number(confusion?.n ?? 0) + Number(regression?.n ?? 0)).toBe(1);
  });
});

/** Sums kept in doubles: equal up to rounding in the last digits. */
function roundish(v: number | string): number | string {
  const n = typeof v === 'number' ? v : Number(v);
  if (typeof v === 'string' && (v.trim() === '' || Number.isNaN(n))) return v;
  return Number.isInteger(n) ? n : Number(n.toPrecision(9));
}
