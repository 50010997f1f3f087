import { parseArgs } from 'node:util';
import { z } from 'zod';
import { openDatabase } from '../orm.ts';
import { readDbEnv, readRetentionDays, retentionDaysSetting } from '../env.ts';
import { pruneLogs, type PruneProgress } from '../retention/prune-logs.ts';

/**
 * `npm run db:prune [-- --days=N]`: removes the raw calls and predictions of DATABASE_URL older than N days
 * (default: RETENTION_DAYS, else 90), in batches, as the server does on its schedule; rollups and labelled examples
 * stay. Safe while the server serves; Ctrl-C stops between batches and a later run goes on.
 */
const usage = 'usage: npm run db:prune -- [--days=N]   (N ≥ 1; default RETENTION_DAYS, else 90)';
let values: { days?: string | undefined };
try {
  values = parseArgs({ options: { days: { type: 'string' } }, strict: true }).values;
} catch (err) {
  console.error(`${(err as Error).message}\n${usage}`);
  process.exit(2);
}
const days =
  values.days === undefined ? readRetentionDays() : retentionDaysSetting.pipe(z.number().min(1)).safeParse(values.days);
if (!days.success) {
  const source = values.days === undefined ? 'RETENTION_DAYS' : '--days';
  console.error(`${source}: ${days.error.issues[0]?.message ?? 'invalid'} (a whole number of days)\n${usage}`);
  process.exit(2);
}
if (days.data === 0) {
  console.log('RETENTION_DAYS=0 keeps every row: nothing to prune (pass --days=N to prune anyway)');
  process.exit(0);
}

const number = new Intl.NumberFormat('en-US');
const stop = new AbortController();
process.once('SIGINT', () => {
  process.stderr.write('stopping after this batch…\n');
  stop.abort();
});
let lastReport = 0;
const report = (p: PruneProgress) => {
  if (performance.now() - lastReport < 1000) return;
  lastReport = performance.now();
  process.stderr.write(
    `pruned ${number.format(p.predictions)} predictions, ${number.format(p.shadowPredictions)} shadow predictions, ` +
      `${number.format(p.calls)} calls\n`,
  );
};

const db = await openDatabase(readDbEnv().DATABASE_URL);
try {
  const started = performance.now();
  const done = await pruneLogs(db, {
    retentionDays: days.data,
    now: new Date(),
    onProgress: report,
    signal: stop.signal,
  });
  const what =
    `${number.format(done.predictions)} predictions, ${number.format(done.shadowPredictions)} shadow predictions ` +
    `and ${number.format(done.calls)} calls logged before ` +
    `${done.cutoff.toISOString()}`;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (done.outcome === 'locked') console.log('another process is pruning this database now: nothing done');
  else if (done.outcome === 'stopped') console.log(`stopped: removed ${what} in ${seconds} s; run again to go on`);
  else console.log(`removed ${what} in ${seconds} s (rollups and labelled examples kept)`);
} finally {
  await db.close();
}
