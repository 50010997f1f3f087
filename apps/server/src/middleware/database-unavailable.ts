import { ConnectionException } from '@mikro-orm/core';
import { TRPCError } from '@trpc/server';
import { t } from '../init.ts';
import { badInputReason } from './database-input-errors.ts';

const transientCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'SQLITE_BUSY', 'SQLITE_LOCKED']);

/**
 * PostgreSQL SQLSTATEs of an unreachable or shutting-down server: class 08 (connection exception) and 57P
 * (operator intervention) — except 08P01 protocol_violation, which a statement the server cannot parse (e.g. a NUL
 * byte in its text) also raises: that is our error (or bad input), not an outage.
 */
const outageState = /^(08(?!P01)|57P)/;

/** Whether an error (or anything in its cause chain) says the database is unreachable or busy, not that we erred. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof ConnectionException) return true;
    const { code, name, message } = e as { code?: unknown; name?: unknown; message?: unknown };
    if (typeof code === 'string' && (transientCodes.has(code) || outageState.test(code))) return true;
    if (name === 'KnexTimeoutError') return true;
    if (typeof message === 'string' && /Connection terminated|connect ECONNREFUSED|Timeout acquiring a connection/.test(message)) return true;
  }
  return false;
}

/**
 * Outermost middleware: a database outage is a 503 the client may retry, never a 500 or a hang; a value the
 * database refuses as malformed (a PostgreSQL data exception the schemas should have caught) is a 422, not a 500.
 */
export const databaseUnavailable = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  const answer = databaseErrorAnswer(result.error);
  if (answer) throw answer;
  return result;
});

/**
 * What an internal error that comes from the database is for the client: a 503 for an outage, a 422 for a value
 * the database refused as malformed; null for any other error.
 */
export function databaseErrorAnswer(error: TRPCError): TRPCError | null {
  if (error.code !== 'INTERNAL_SERVER_ERROR') return null;
  const { cause } = error;
  if (isDatabaseUnavailable(cause)) return new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'The database is unavailable; retry shortly', cause });
  const reason = badInputReason(cause);
  return reason ? new TRPCError({ code: 'UNPROCESSABLE_CONTENT', message: `Invalid input: ${reason}`, cause }) : null;
}
