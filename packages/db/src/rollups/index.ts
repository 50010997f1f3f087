/** What the server and the scripts use of the rollups: their bucket, their percentiles and their rebuild. */
export { bucketCeil, bucketFloor, bucketMs, bucketOf, endBucketOf, snapWindow, type ZoneShift } from './buckets.ts';
export { percentile } from './latency-histogram.ts';
export { rebuildRollups } from './rebuild-rollups.ts';
