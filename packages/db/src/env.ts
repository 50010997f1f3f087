import { z } from 'zod';
import { defaultDatabaseUrl } from './database-url.ts';

const localPostgres = 'postgresql://postgres@127.0.0.1:5432';

/** `RETENTION_DAYS`: how many days of raw calls and predictions are kept (0: all); the server and db:prune read it. */
export const retentionDaysSetting = z.coerce.number().int().min(0).max(36_600).default(90);

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

/** RETENTION_DAYS as `npm run db:prune` reads it: checked on its own, so a bad value stops only what prunes. */
export const readRetentionDays = (source: Record<string, string | undefined> = process.env) =>
  retentionDaysSetting.safeParse(source.RETENTION_DAYS);

/** The directory the command was typed in: npm runs a workspace's script in the workspace, and says where in INIT_CWD. */
export const invocationDir = (source: Record<string, string | undefined> = process.env): string =>
  source.INIT_CWD ?? process.cwd();
