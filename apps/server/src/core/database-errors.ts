import { databaseInputError, isDatabaseUnavailable } from '@mlapi/db';
import { TRPCError } from '@trpc/server';
import { t } from './init.ts';

/**
 * Outermost middleware: a database outage is a 503 the client may retry, never a 500 or a hang; a value the
 * database refuses as malformed (a PostgreSQL data exception the schemas should have caught) is a 422, not a 500.
 */
export const databaseUnavailable = t.middleware(async ({ next }) => answeringDatabaseErrors(await next()));

/** A middleware's result with a database error turned into its answer (thrown, as a middleware answers). */
export function answeringDatabaseErrors<R extends { ok: true } | { ok: false; error: TRPCError }>(result: R): R {
  if (result.ok) return result;
  const answer = databaseErrorAnswer(result.error);
  if (answer) throw answer;
  return result;
}

/**
 * What an internal error that comes from the database is for the client: a 503 for an outage, a 422 for a value
 * the database refused as malformed; null for any other error.
 */
export function databaseErrorAnswer(error: TRPCError): TRPCError | null {
  if (error.code !== 'INTERNAL_SERVER_ERROR') return null;
  const { cause } = error;
  if (isDatabaseUnavailable(cause))
    return new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'The database is unavailable; retry shortly', cause });
  const refused = databaseInputError(cause);
  return refused
    ? new TRPCError({ code: 'UNPROCESSABLE_CONTENT', message: `Invalid input: ${refused.reason}`, cause })
    : null;
}
