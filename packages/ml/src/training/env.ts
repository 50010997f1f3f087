/**
 * Training's environment, read here and nowhere else: the time stamped into the artifacts. TRAINED_AT (any date)
 * or SOURCE_DATE_EPOCH (seconds, the reproducible-builds convention) make a retraining byte-for-byte repeatable.
 */
export function trainedAtFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  if (env['TRAINED_AT']) return new Date(env['TRAINED_AT']).toISOString();
  if (env['SOURCE_DATE_EPOCH']) return new Date(Number(env['SOURCE_DATE_EPOCH']) * 1000).toISOString();
  return new Date().toISOString();
}
