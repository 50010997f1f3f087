import { z } from 'zod';
import { defaultDatabaseUrl } from '../database-url.ts';

/** The database CLI's only configuration: the same `DATABASE_URL` the server reads. */
export const databaseUrlFromEnv = (): string =>
  z.object({ DATABASE_URL: z.string().min(1).default(defaultDatabaseUrl) }).parse(process.env).DATABASE_URL;
