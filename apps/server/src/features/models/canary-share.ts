import { createHash } from 'node:crypto';

/**
 * Whether a user is in a canary's share: a hash of the rollout and the user, read as a number in [0, 100), below
 * `percent`. Sticky for the rollout (the same user, the same answer, on every replica), independent between
 * rollouts, and uniform: over many users the share is `percent` within sampling error.
 */
export function inCanary(rolloutId: number, userId: number, percent: number): boolean {
  const digest = createHash('sha256').update(`${rolloutId}:${userId}`).digest();
  return (digest.readUInt32BE(0) / 2 ** 32) * 100 < percent;
}
