import type { Reply, RestClient } from '@mlapi/server/testing';
import { hamMail } from './fixtures.ts';

const minute = 60_000;

/**
 * Waits until at least `ms` remain in the current UTC minute, so a test of the minute window runs inside one window
 * (a boundary in the middle would start a fresh window and admit more).
 */
export async function roomInMinute(ms: number): Promise<void> {
  const left = minute - (Date.now() % minute);
  if (left < ms) await new Promise((done) => setTimeout(done, left + 50));
}

/** A test that may first wait for room in the minute: that wait (under a minute) on top of its own time. */
export const minuteTestTimeout = 120_000;

/** The database row of a user's v1 minute window now. */
export const minuteKey = (userId: number) => `quota:v1:${userId}:minute:${Math.floor(Date.now() / minute)}`;

/** `n` v1 predicts at once, spread evenly over the replicas. */
export function callsAcross(replicas: RestClient[], n: number, token: string): Promise<Reply[]> {
  return Promise.all(
    Array.from({ length: n }, (_, i) =>
      replicas[i % replicas.length]!.post('/mlservice/v1/predict', { text: hamMail }, token),
    ),
  );
}

/** How many replies had each status. */
export function statusCounts(replies: readonly Reply[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const { status } of replies) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}
