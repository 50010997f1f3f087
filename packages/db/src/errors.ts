import { ConnectionException, UniqueConstraintViolationException } from '@mikro-orm/core';

/**
 * The database's failures, as the rest of the system sees them: every repository call throws one of these (the
 * driver's error as `cause`) or the caller's own error, never a driver's or MikroORM's exception class.
 */

/** The database is unreachable, shutting down or too busy: the caller may retry later. */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
  constructor(cause: unknown) {
    super('the database is unavailable', { cause });
  }
}

/** The database refused a value as malformed (a defence behind the schemas); `reason` names the kind, never the value. */
export class DatabaseInputError extends Error {
  override readonly name = 'DatabaseInputError';
  constructor(
    readonly reason: string,
    cause: unknown,
  ) {
    super(`the database refused a value: ${reason}`, { cause });
  }
}

/** A row would repeat a unique value (a username, a key hash). */
export class DuplicateKeyError extends Error {
  override readonly name = 'DuplicateKeyError';
  constructor(cause: unknown) {
    super('a unique value is already taken', { cause });
  }
}

const transientCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
]);

/**
 * PostgreSQL SQLSTATEs of an unreachable or shutting-down server: class 08 (connection exception) and 57P
 * (operator intervention) — except 08P01 protocol_violation, which a statement the server cannot parse (e.g. a NUL
 * byte in its text) also raises: that is our error (or bad input), not an outage.
 */
const outageState = /^(08(?!P01)|57P)/;

/**
 * PostgreSQL data exceptions that mean the client sent a value the database cannot take. Each maps to a message
 * that names the kind of problem, never the SQL or the value.
 */
const badInputCodes: Record<string, string> = {
  '22001': 'a text value is longer than the database stores',
  '22003': 'a number is out of the range the database stores',
  '22021': 'a text value holds a character the database cannot store (e.g. NUL)',
  '22P02': 'a value does not have the form the database expects',
  '22P05': 'a text value holds a character the database cannot store (e.g. an unpaired surrogate)',
};

const duplicateCodes = new Set(['23505', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);

/** The error and its causes, outermost first. */
function* causeChain(error: unknown): Generator<unknown> {
  for (let e = error, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) yield e;
}

function isOutage(e: unknown): boolean {
  if (e instanceof ConnectionException) return true;
  const { code, name, message } = e as { code?: unknown; name?: unknown; message?: unknown };
  if (typeof code === 'string' && (transientCodes.has(code) || outageState.test(code))) return true;
  if (name === 'KnexTimeoutError') return true;
  return (
    typeof message === 'string' &&
    /Connection terminated|connect ECONNREFUSED|Timeout acquiring a connection/.test(message)
  );
}

/** A driver's or the ORM's error as one of this package's errors; any other error (the caller's own) unchanged. */
export function classifyDatabaseError(error: unknown): unknown {
  if (
    error instanceof DatabaseUnavailableError ||
    error instanceof DatabaseInputError ||
    error instanceof DuplicateKeyError
  )
    return error;
  for (const e of causeChain(error)) {
    if (isOutage(e)) return new DatabaseUnavailableError(error);
    if (e instanceof UniqueConstraintViolationException) return new DuplicateKeyError(error);
    const { code } = e as { code?: unknown };
    if (typeof code !== 'string') continue;
    if (duplicateCodes.has(code)) return new DuplicateKeyError(error);
    if (Object.hasOwn(badInputCodes, code)) return new DatabaseInputError(badInputCodes[code]!, error);
  }
  return error;
}

/** Whether an error, or anything in its cause chain, says the database is unavailable (not that anyone erred). */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (const e of causeChain(error)) if (e instanceof DatabaseUnavailableError || isOutage(e)) return true;
  return false;
}

/** The DatabaseInputError in an error's cause chain, if any. */
export function databaseInputError(error: unknown): DatabaseInputError | null {
  for (const e of causeChain(error)) if (e instanceof DatabaseInputError) return e;
  return null;
}

/**
 * The repository with every method's failures classified (see classifyDatabaseError): the one place a driver's
 * error becomes this package's.
 */
export function classifyingErrors<T extends Record<string, (...args: never[]) => Promise<unknown>>>(repository: T): T {
  const rethrow = (err: unknown): never => {
    throw classifyDatabaseError(err);
  };
  const wrapped: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(repository)) {
    // One extra promise per call, no extra await: these run on every request.
    wrapped[name] = (...args: never[]) => method.apply(repository, args).then(undefined, rethrow);
  }
  return wrapped as T;
}
