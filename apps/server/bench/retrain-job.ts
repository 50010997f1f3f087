/**
 * The bench's retraining job: a v1 retraining (the longest: 9,000 mails) started before a run and followed to its
 * end after it, so the run measures calls served while a child process trains at lower priority.
 */
import { adminCall } from './admin-call.ts';

const pause = () => new Promise((r) => setTimeout(r, 200));

/** Starts a v1 retraining and waits until it works on its data (featurising, then training); the job id. */
export async function startRetraining(url: string, adminToken: string): Promise<number> {
  const job = await adminCall(url, 'POST', '/admin/models/v1/retrain', adminToken, {
    version: `9.1.${Date.now() % 100_000}`,
  });
  const working = ['featurising', 'training'];
  while (!working.includes((await adminCall(url, 'GET', `/admin/models/v1/retrain/${job.id}`, adminToken)).phase))
    await pause();
  return job.id as number;
}

/** Waits for the job to end (later scenarios run without it); what it was doing during the run, for the note. */
export async function finishRetraining(url: string, adminToken: string, id: number): Promise<string> {
  const during = await adminCall(url, 'GET', `/admin/models/v1/retrain/${id}`, adminToken);
  const at = `${during.phase} ${during.progress.done}/${during.progress.total}`;
  const started = performance.now();
  let job = during;
  while (job.state === 'running') {
    await pause();
    job = await adminCall(url, 'GET', `/admin/models/v1/retrain/${id}`, adminToken);
  }
  const rest = ((performance.now() - started) / 1000).toFixed(0);
  return `a v1 retraining trained meanwhile (at ${at} when the run ended; ${job.state} ${rest} s later)`;
}
