import { pruneLogs, type Database } from '@mlapi/db';
import type { Logger } from '../../core/logger.ts';

export interface RetentionSchedule {
  /** Stops the schedule; a prune under way stops after its batch. */
  stop(): Promise<void>;
}

/** The first prune shortly after start, then one an hour. */
const firstAfterMs = 1000;
const everyMs = 3_600_000;

/**
 * Removes the raw calls and predictions older than RETENTION_DAYS in the background (pruneLogs: small batches, off
 * the request path; on PostgreSQL one replica at a time, the others skip their turn). 0 keeps everything.
 */
export function scheduleRetention(db: Database, retentionDays: number, logger: Logger): RetentionSchedule {
  if (retentionDays <= 0) return { stop: async () => undefined };
  const stopping = new AbortController();
  let running: Promise<void> = Promise.resolve();
  const prune = () => {
    running = pruneLogs(db, { retentionDays, now: new Date(), signal: stopping.signal }).then(
      (done) => {
        if (done.calls + done.predictions + done.shadowPredictions > 0 || done.outcome !== 'done')
          logger.info({ ...done, retentionDays }, 'raw logs pruned past the retention window');
      },
      (err: unknown) => logger.warn({ err }, 'pruning the raw logs failed; the next run tries again'),
    );
  };
  const first = setTimeout(prune, firstAfterMs).unref();
  const every = setInterval(prune, everyMs).unref();
  return {
    stop: async () => {
      clearTimeout(first);
      clearInterval(every);
      stopping.abort();
      await running;
    },
  };
}
