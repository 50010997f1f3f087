/**
 * Rollups summarise the logs per 15-minute bucket: every time zone's offset is a whole number of quarter hours, so
 * a bucket never straddles a local hour or day in any zone. A bucket is stored as its number: its start is
 * `bucket × bucketMs` ms after the epoch.
 */
export const bucketMs = 900_000;

export const bucketOf = (at: Date): number => Math.floor(at.getTime() / bucketMs);

export const bucketStart = (bucket: number): Date => new Date(bucket * bucketMs);

/** The first bucket that starts at or after an instant: the end (exclusive) of a window that ends there. */
export const endBucketOf = (at: Date): number => Math.ceil(at.getTime() / bucketMs);

/** An instant moved back to the start of its bucket. */
export const bucketFloor = (at: Date): Date => bucketStart(bucketOf(at));

/** An instant moved on to the next bucket boundary (itself when it is one). */
export const bucketCeil = (at: Date): Date => bucketStart(endBucketOf(at));

/** A window [from, to) widened to whole buckets: [first bucket, end bucket) and the instants they stand for. */
export interface BucketWindow {
  first: number;
  end: number;
  from: Date;
  to: Date;
}

export function snapWindow(from: Date, to: Date): BucketWindow {
  const first = bucketOf(from);
  const end = endBucketOf(to);
  return { first, end, from: bucketStart(first), to: bucketStart(end) };
}
