import { isAbsolute, resolve } from 'node:path';
import { repoRoot } from './repo-root.ts';

export type DatabaseTarget =
  { dialect: 'sqlite'; path: string } | { dialect: 'postgresql'; url: string; dbName: string };

export const defaultDatabaseUrl = 'sqlite:./data/mlapi.sqlite';

/**
 * Reads `DATABASE_URL`: `sqlite:./relative/file` (against the repo root), `sqlite:/abs/path`, `sqlite::memory:`,
 * or `postgresql://user@host:port/db` (also `postgres://`). Throws a message naming the problem otherwise.
 */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  if (url.startsWith('sqlite:')) {
    let file = url.slice('sqlite:'.length);
    if (file.startsWith('//')) file = file.slice(2);
    if (!file) throw new Error('DATABASE_URL: sqlite URL needs a file path, e.g. sqlite:./data/mlapi.sqlite');
    if (file === ':memory:') return { dialect: 'sqlite', path: file };
    return { dialect: 'sqlite', path: isAbsolute(file) ? file : resolve(repoRoot, file) };
  }
  if (url.startsWith('postgresql://') || url.startsWith('postgres://')) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new Error('DATABASE_URL: not a valid postgresql:// URL');
    }
    const dbName = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
    if (!dbName)
      throw new Error(
        'DATABASE_URL: postgresql URL needs a database name, e.g. postgresql://postgres@127.0.0.1:5432/mlapi',
      );
    return { dialect: 'postgresql', url, dbName };
  }
  throw new Error('DATABASE_URL must start with sqlite: or postgresql://');
}
