import type { Database } from '../orm.ts';
import { dialectOf } from '../dialect.ts';
import { callsInsert, predictionsInsert, usersInsert, type FillShape } from './fill-sql.ts';

export interface FillOptions {
  /** Service calls to write. */
  calls: number;
  /** Users to spread them over (the first gets the most: about users^(−1/3) of all calls). */
  users: number;
  /** Days the calls cover, up to `now`. */
  days: number;
  /** A bcrypt hash every filled user signs in with. */
  passwordHash: string;
  now?: Date;
  /** Calls per transaction (default 50,000). */
  chunk?: number;
  /** The input JSON every v1 and v2 prediction logs (default: a short mail and a house, as a client sends them). */
  inputs?: { v1: string; v2: string };
  onProgress?: (progress: FillProgress) => void;
}

interface FillProgress {
  calls: number;
  predictions: number;
  /** Seconds since the fill began. */
  seconds: number;
}

export interface FillResult extends FillProgress {
  /** Predictions with feedback (a true label or value). */
  feedback: number;
  /** The user with the most calls, and how many. */
  heavyUser: { id: number; username: string; calls: number };
}

/** Model names and versions as the built-in models log them; inputs as a client sends them. */
const models = {
  v1: { name: 'spam-logreg', version: '1.1.0' },
  v2: { name: 'boston-gbt', version: '1.0.0' },
} as const;
const v1Input = JSON.stringify({ text: 'Subject: lunch on Friday\n\nAre we still on for lunch on Friday? Charles' });
const v2Input = JSON.stringify({
  crim: 0.1,
  zn: 0,
  indus: 8,
  chas: 0,
  nox: 0.5,
  rm: 6.5,
  age: 60,
  dis: 4,
  rad: 4,
  tax: 300,
  ptratio: 18,
  lstat: 8,
});
const failure = 'input: text is required';
/** The inputs a fill logs unless told otherwise, as JSON. */
export const defaultFillInputs = { v1: v1Input, v2: v2Input } as const;

/**
 * Fills a freshly migrated database with `calls` service calls over `days` days up to now, on v1 and v2, with
 * log-normal durations and 2 % failures, one prediction per successful call and feedback on 10 % of them — in SQL
 * the database runs itself (bench/fill-sql.ts), one chunk of calls and their predictions per transaction. Writes the
 * raw rows only: the rollups are left to `rebuildRollups`.
 */
export async function fillCalls(db: Database, options: FillOptions): Promise<FillResult> {
  const dialect = dialectOf(db.target.dialect);
  const now = options.now ?? new Date();
  const spanMs = options.days * 86_400_000;
  const shape: FillShape = {
    users: options.users,
    calls: options.calls,
    startMs: now.getTime() - spanMs,
    spanMs,
    failureShare: 0.02,
    feedbackShare: 0.1,
    v1Share: 0.6,
  };
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const [before] = await db.sql.read('select coalesce(max(id), 0) as id from users', []);
  const firstUserId = Number(before?.id ?? 0) + 1;
  await db.sql.transaction(async (run) => {
    await run(usersInsert(dialect), [1, options.users, options.passwordHash, dialect.bind(new Date(shape.startMs))]);
    const [made] = await run('select min(id) as first, max(id) as last from users where id >= ?', [firstUserId]);
    // Owners are picked as an offset from the first id: the ids must be the consecutive ones just written.
    if (Number(made?.first) !== firstUserId || Number(made?.last) !== firstUserId + options.users - 1)
      throw new Error('fillCalls needs a database whose users table it alone writes to');
  });

  const calls = callsInsert(dialect, shape, firstUserId);
  const predictions = predictionsInsert(dialect, shape);
  const chunk = Math.max(1, Math.trunc(options.chunk ?? 50_000));
  const progress: FillProgress = { calls: 0, predictions: 0, seconds: 0 };
  for (let n = 1; n <= options.calls; n += chunk) {
    const last = Math.min(options.calls, n + chunk - 1);
    await db.sql.transaction(async (run) => {
      const [top] = await run('select coalesce(max(id), 0) as id from service_calls', []);
      const after = Number(top?.id ?? 0);
      await run(calls, [n, last, failure, models.v1.version, models.v2.version]);
      const inputs = options.inputs ?? defaultFillInputs;
      await run(predictions, [models.v1.name, models.v2.name, inputs.v1, inputs.v2, after]);
      const [made] = await run('select count(*) as n from prediction_logs where service_call_id > ?', [after]);
      progress.predictions += Number(made?.n ?? 0);
    });
    progress.calls = last;
    progress.seconds = seconds();
    options.onProgress?.({ ...progress });
  }
  return { ...progress, seconds: seconds(), ...(await summary(db, firstUserId)) };
}

async function summary(db: Database, heavyUserId: number): Promise<Pick<FillResult, 'feedback' | 'heavyUser'>> {
  const [feedback] = await db.sql.read(
    'select count(*) as n from prediction_logs where true_label is not null or true_value is not null',
    [],
  );
  const [heavy] = await db.sql.read(
    'select u.username, (select count(*) from service_calls c where c.owner_id = u.id) as calls from users u where u.id = ?',
    [heavyUserId],
  );
  return {
    feedback: Number(feedback?.n ?? 0),
    heavyUser: { id: heavyUserId, username: String(heavy?.username), calls: Number(heavy?.calls ?? 0) },
  };
}

/**
 * What a production PostgreSQL's autovacuum would have done by the time the data is read: statistics for the
 * planner and the visibility map for index-only scans. SQLite keeps no such state unless asked: nothing to do.
 */
export async function settleAfterFill(db: Database): Promise<void> {
  if (db.target.dialect !== 'postgresql') return;
  await db.orm.em.getConnection().execute('vacuum analyze');
}
