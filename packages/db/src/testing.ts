import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import { readDbEnv } from './env.ts';

export const testDialects = ['sqlite', 'postgresql'] as const;
export type TestDialect = (typeof testDialects)[number];

/** The machine's PostgreSQL (trust auth); override with TEST_PG_URL (no database part). */
export const testPostgresBase = readDbEnv().TEST_PG_URL;

export interface TestDatabase {
  url: string;
  /** Removes the SQLite file or drops the PostgreSQL database. */
  drop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** The start of the database's name (default `mlapi_test`), so leftovers say who made them. */
  prefix?: string;
}

/** A fresh, empty database of the given dialect for one test file: its own SQLite file or PostgreSQL database. */
export function createTestDatabase(dialect: TestDialect, options: TestDatabaseOptions = {}): TestDatabase {
  const name = `${options.prefix ?? 'mlapi_test'}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  if (dialect === 'sqlite') {
    const path = join(tmpdir(), `${name}.sqlite`);
    return {
      url: `sqlite:${path}`,
      drop: async () => {
        for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
      },
    };
  }
  return {
    url: `${testPostgresBase}/${name}`,
    drop: async () => {
      const admin = await MikroORM.init({
        clientUrl: `${testPostgresBase}/postgres`,
        entities: [],
        discovery: { warnWhenNoEntities: false },
      });
      try {
        await admin.em.getConnection().execute(`drop database if exists "${name}" with (force)`);
      } finally {
        await admin.close(true);
      }
    },
  };
}

/** Whether the machine's PostgreSQL has a database of that name (a test's check that nothing created it). */
export async function postgresDatabaseExists(name: string): Promise<boolean> {
  const admin = await MikroORM.init({
    clientUrl: `${testPostgresBase}/postgres`,
    entities: [],
    discovery: { warnWhenNoEntities: false },
  });
  try {
    const rows = await admin.em.getConnection().execute('select 1 from pg_database where datname = ?', [name]);
    return rows.length > 0;
  } finally {
    await admin.close(true);
  }
}
