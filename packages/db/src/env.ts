import { z } from 'zod';
import { defaultDatabaseUrl } from './database-url.ts';

const localPostgres = 'postgresql://postgres@127.0.0.1:5432';

/**
 * What this package reads from the environment, validated in one place: the database the CLI scripts work on (the
 * same `DATABASE_URL` the server reads), and the PostgreSQL server (no database part) where migrations are
 * generated and tests create their databases.
 */
const dbEnvSchema = z.object({
  DATABASE_URL: z.string().min(1).default(defaultDatabaseUrl),
  MIGRATION_PG_URL: z.string().min(1).default(localPostgres),
  TEST_PG_URL: z.string().min(1).default(localPostgres),
});

export type DbEnv = z.infer<typeof dbEnvSchema>;

export const readDbEnv = (source: Record<string, string | undefined> = process.env): DbEnv => dbEnvSchema.parse(source);
