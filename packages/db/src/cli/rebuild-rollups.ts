import { parseArgs } from 'node:util';
import { z } from 'zod';
import { openDatabase } from '../orm.ts';
import { readDbEnv } from '../env.ts';
import { rebuildRollups, type RebuildProgress } from '../rollups/rebuild-rollups.ts';

/**
 * `npm run analytics:rebuild [-- --from=<date> --to=<date>]`: recomputes the rollups of DATABASE_URL from its raw
 * rows — after an import or a restore. Default window: the calls still logged. Safe while the server serves.
 */
const instant = z
  .string()
  .refine((v) => z.iso.datetime({ offset: true }).or(z.iso.date()).safeParse(v).success, {
    message: 'expected a date (2026-11-30) or a date-time with its offset (2026-11-30T12:00:00Z)',
  })
  .transform((v) => new Date(v))
  .optional();
const optionsSchema = z
  .object({ from: instant, to: instant })
  .refine((o) => !o.from || !o.to || o.from < o.to, { message: '--from must be before --to', path: ['from'] });

function readOptions() {
  try {
    return parseArgs({ options: { from: { type: 'string' }, to: { type: 'string' } }, strict: true }).values;
  } catch (err) {
    console.error(`${(err as Error).message}; usage: npm run analytics:rebuild -- [--from=<date>] [--to=<date>]`);
    process.exit(2);
  }
}
const parsed = optionsSchema.safeParse(readOptions());
if (!parsed.success) {
  for (const issue of parsed.error.issues) console.error(`--${issue.path.join('.')}: ${issue.message}`);
  process.exit(2);
}

const number = new Intl.NumberFormat('en-US');
const started = performance.now();
let lastReport = 0;
const report = (p: RebuildProgress) => {
  const now = performance.now();
  if (now - lastReport < 1000 && p.done < p.to) return;
  lastReport = now;
  const span = p.to.getTime() - p.from.getTime();
  const share = span > 0 ? ((p.done.getTime() - p.from.getTime()) / span) * 100 : 100;
  const perSecond = p.calls / Math.max(0.001, (now - started) / 1000);
  process.stderr.write(
    `rollups rebuilt to ${p.done.toISOString()} (${share.toFixed(0)} %): ${number.format(p.calls)} calls, ` +
      `${number.format(p.predictions)} predictions, ${number.format(p.shadowPredictions)} shadow predictions read, ` +
      `${number.format(Math.round(perSecond))} calls/s\n`,
  );
};

const db = await openDatabase(readDbEnv().DATABASE_URL);
try {
  const done = await rebuildRollups(db, { ...parsed.data, onProgress: (p) => report(p) });
  if (done.from.getTime() === done.to.getTime()) console.log('no calls logged in that window: nothing to rebuild');
  else
    console.log(
      `rebuilt ${done.from.toISOString()} – ${done.to.toISOString()}: ${number.format(done.calls)} calls in ` +
        `${((performance.now() - started) / 1000).toFixed(1)} s` +
        (done.skipped ? `; ${number.format(done.skipped)} buckets without raw rows left as they were` : ''),
    );
} finally {
  await db.close();
}
