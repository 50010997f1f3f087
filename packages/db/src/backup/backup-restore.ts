import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { promisify } from 'node:util';
import { parseDatabaseUrl } from '../database-url.ts';
import { openDatabase } from '../orm.ts';

const run = promisify(execFile);

/** A backup or restore that cannot go ahead, with the reason (the scripts print it, no stack). */
export class BackupError extends Error {
  override name = 'BackupError';
}

export interface BackupResult {
  file: string;
  bytes: number;
}

/**
 * A consistent copy of the database taken while it serves: SQLite's `VACUUM INTO` (a compact single file, readers
 * and writers go on), PostgreSQL's `pg_dump --format=custom` (one snapshot; compressed). Never overwrites a file.
 */
export async function backupDatabase(databaseUrl: string, file: string): Promise<BackupResult> {
  if (existsSync(file)) throw new BackupError(`${file} exists already: a backup never overwrites one`);
  const target = parseDatabaseUrl(databaseUrl);
  if (target.dialect === 'sqlite') {
    if (target.path === ':memory:') throw new BackupError('an in-memory database has nothing to back up');
    if (!existsSync(target.path)) throw new BackupError(`no database at ${target.path}`);
    const db = await openDatabase(databaseUrl, { migrate: false });
    try {
      await db.sql.write('vacuum into ?', [file]);
    } finally {
      await db.close();
    }
  } else {
    await tool('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${file}`, target.url]);
  }
  return { file, bytes: statSync(file).size };
}

export interface RestoreOptions {
  /** Replace a database that holds tables already (otherwise refused). */
  force?: boolean;
}

/**
 * Puts a backup's contents in place of the database (stop the servers first): SQLite copies the file over (its
 * write-ahead log removed), PostgreSQL runs `pg_restore` into the database, created if missing. A database that
 * holds tables is replaced only with `force` (PostgreSQL: its public schema emptied first). The servers migrate a restored older backup at their next start.
 */
export async function restoreDatabase(databaseUrl: string, file: string, options: RestoreOptions = {}): Promise<void> {
  if (!existsSync(file)) throw new BackupError(`no backup at ${file}`);
  const target = parseDatabaseUrl(databaseUrl);
  if (target.dialect === 'sqlite') {
    if (target.path === ':memory:') throw new BackupError('cannot restore into an in-memory database');
    if (existsSync(target.path) && statSync(target.path).size > 0 && !options.force)
      throw new BackupError(`${target.path} exists: pass --force to replace it`);
    const incoming = `${target.path}.restoring`;
    copyFileSync(file, incoming);
    for (const suffix of ['-wal', '-shm']) rmSync(target.path + suffix, { force: true });
    renameSync(incoming, target.path);
    return;
  }
  const db = await openDatabase(databaseUrl, { migrate: false });
  try {
    const [row] = await db.sql.read(
      "select count(*) as n from information_schema.tables where table_schema = 'public'",
      [],
    );
    const tables = Number(row?.n ?? 0);
    if (tables > 0 && !options.force)
      throw new BackupError(`database ${target.dbName} holds ${tables} tables: pass --force to replace its contents`);
    // pg_restore --clean cannot drop partitioned tables' inherited keys: empty the schema instead.
    if (tables > 0)
      for (const text of ['drop schema public cascade', 'create schema public']) await db.sql.write(text, []);
  } finally {
    await db.close();
  }
  await tool('pg_restore', ['--no-owner', '--no-privileges', '--single-transaction', `--dbname=${target.url}`, file]);
}

/** Runs a PostgreSQL client tool; a missing one is named with the package that has it. */
async function tool(name: string, args: string[]): Promise<void> {
  try {
    await run(name, args, { maxBuffer: 16 * 2 ** 20 });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT')
      throw new BackupError(`${name} is not installed: install the PostgreSQL client tools (postgresql-client)`);
    throw new BackupError(`${name} failed: ${(e.stderr ?? e.message).trim()}`);
  }
}
