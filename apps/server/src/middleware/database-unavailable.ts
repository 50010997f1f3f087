import { ConnectionException } from '@mikro-orm/core';
import { TRPCError } from '@trpc/server';
import { t } from '../init.ts';

const transientCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'SQLITE_BUSY', 'SQLITE_LOCKED']);

/** Whether an error (or anything in its cause chain) says the database is unreachable or busy, not that we erred. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof ConnectionException) return true;
    const { code, name, message } = e as { code?: unknown; name?: unknown; message?: unknown };
    if (typeof code === 'string' && (transientCodes.has(code) || /^(08|57P)/.test(code))) return true;
    if (name === 'KnexTimeoutError') return true;
    if (typeof message === 'string' && /Connection terminated|connect ECONNREFUSED|Timeout acquiring a connection/.test(message)) return true;
  }
  return false;
}

/** Outermost middleware: a database outage is a 503 the client may retry, never a 500 or a hang. */
export const databaseUnavailable = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.code === 'INTERNAL_SERVER_ERROR' && isDatabaseUnavailable(result.error.cause))
    throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'The database is unavailable; retry shortly', cause: result.error.cause });
  return result;
});
