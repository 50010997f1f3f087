/**
 * Rollups summarise the logs per 15-minute bucket: every time zone's offset is a whole number of quarter hours, so
 * a bucket never straddles a local hour or day in any zone. A bucket is stored as its number: its start is
 * `bucket × bucketMs` ms after the epoch.
 */
export const bucketMs = 900_000;

/** Buckets in a UTC day: the day-level rollups sum this many. */
export const bucketsPerDay = 96;

export const bucketOf = (at: Date): number => Math.floor(at.getTime() / bucketMs);

export const bucketStart = (bucket: number): Date => new Date(bucket * bucketMs);

/** The first bucket that starts at or after an instant: the end (exclusive) of a window that ends there. */
export const endBucketOf = (at: Date): number => Math.ceil(at.getTime() / bucketMs);

/** An instant moved back to the start of its bucket. */
export const bucketFloor = (at: Date): Date => bucketStart(bucketOf(at));

/** An instant moved on to the next bucket boundary (itself when it is one). */
export const bucketCeil = (at: Date): Date => bucketStart(endBucketOf(at));

/**
 * A time zone's offset over part of a window, in buckets: from bucket `from` on (until the next shift), the local
 * bucket is `bucket + buckets`. Every zone's offset is a whole number of quarter hours, so this is exact.
 */
export interface ZoneShift {
  from: number;
  buckets: number;
}

/** Buckets in an hour: a local bucket number divided by this is the local hour's number. */
export const bucketsPerHour = 4;

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

/**
 * A window of buckets [first, end) cut for reading from two levels: the whole UTC days inside it (`days`, as day
 * numbers [first, end)) and the buckets of the partial days at its edges (`edges`, zero, one or two ranges).
 */
export interface DaySplit {
  days: { first: number; end: number } | null;
  edges: { first: number; end: number }[];
}

export function splitByDays(first: number, end: number): DaySplit {
  const firstDay = Math.ceil(first / bucketsPerDay);
  const endDay = Math.floor(end / bucketsPerDay);
  if (firstDay >= endDay) return { days: null, edges: first < end ? [{ first, end }] : [] };
  const edges = [
    { first, end: firstDay * bucketsPerDay },
    { first: endDay * bucketsPerDay, end },
  ].filter((r) => r.first < r.end);
  return { days: { first: firstDay, end: endDay }, edges };
}
