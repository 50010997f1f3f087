import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseDatabaseUrl } from '../database-url.ts';
import { BackupError, backupDatabase } from '../backup/backup-restore.ts';
import { invocationDir, readDbEnv } from '../env.ts';

/**
 * `npm run db:backup [-- --out=FILE]`: a consistent copy of DATABASE_URL taken while the server serves — SQLite
 * `VACUUM INTO`, PostgreSQL `pg_dump --format=custom`. Default file: mlapi-<UTC time>.sqlite or .dump here.
 */
const usage = 'usage: npm run db:backup -- [--out=FILE]';
let out: string | undefined;
try {
  out = parseArgs({ options: { out: { type: 'string' } }, strict: true }).values.out;
} catch (err) {
  console.error(`${(err as Error).message}\n${usage}`);
  process.exit(2);
}
const url = readDbEnv().DATABASE_URL;
const stamp = new Date()
  .toISOString()
  .replace(/[-:]/g, '')
  .replace(/\.\d+Z$/, 'Z');
const file = resolve(
  invocationDir(),
  out ?? `mlapi-${stamp}.${parseDatabaseUrl(url).dialect === 'sqlite' ? 'sqlite' : 'dump'}`,
);
try {
  const started = performance.now();
  const done = await backupDatabase(url, file);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`backed up to ${done.file} (${(done.bytes / 2 ** 20).toFixed(1)} MB) in ${seconds} s`);
} catch (err) {
  if (!(err instanceof BackupError)) throw err;
  console.error(`db:backup: ${err.message}`);
  process.exit(1);
}
