/**
 * How many units of a quota window a replica asks for at once: 1 for a user who is slow, doubling while each lease
 * is used up within `quickMs` of being granted, halving when one lasted over four times that, and never more than a
 * quarter of what the window had left at the last reservation (nor `maxLease`). So a busy user costs one statement
 * per lease instead of one per call, while the units one replica holds and does not spend — what another replica
 * may be refused while they wait — shrink as the window nears its limit.
 */
export const leasePolicy = {
  /** A lease used up faster than this was too small. */
  quickMs: 250,
  /** The largest lease, whatever the rate and limit. */
  maxLease: 128,
  /** At most this share of what the window had left at the last reservation. */
  share: 1 / 4,
  /** Unspent units of a lease not used for this long are given back to the window. */
  idleMs: 1_000,
  /** After a window had nothing left, calls are refused without asking again for this long. */
  recheckMs: 250,
} as const;

/** The next lease size from the last one and how long that lease lasted (undefined: the first reservation). */
export function nextLeaseSize(size: number, lastedMs: number | undefined): number {
  if (lastedMs === undefined) return 1;
  if (lastedMs < leasePolicy.quickMs) return Math.min(size * 2, leasePolicy.maxLease);
  if (lastedMs > 4 * leasePolicy.quickMs) return Math.max(1, Math.floor(size / 2));
  return size;
}

/** What to ask for: the lease size, capped by the share of what the window had left (unknown before the first). */
export function leaseRequest(size: number, remaining: number | undefined): number {
  const share = remaining === undefined ? size : Math.max(1, Math.floor(remaining * leasePolicy.share));
  return Math.max(1, Math.min(size, share, leasePolicy.maxLease));
}
