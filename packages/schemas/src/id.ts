import { z } from 'zod';

/** The largest value of a 32-bit signed integer column (PostgreSQL `integer`/`serial`). */
export const maxInt32 = 2_147_483_647;

/** The largest log id the API takes or gives: the 64-bit log columns hold more, JSON numbers are exact up to here. */
export const maxLogId = Number.MAX_SAFE_INTEGER;

const boundedId = (field: string, max: number) =>
  z.coerce
    .number()
    .int()
    .positive({ error: `${field} must be a positive integer` })
    .max(max)
    .meta({ example: 1 });

/**
 * A row id of a 32-bit column (users, API keys) from a path, query or body, coerced from its text: an id beyond
 * that range is bad input (422 naming the field), never a query the database refuses. Worded as every field is
 * (messages.ts), but for the sign.
 */
export const idParam = (field: string) => boundedId(field, maxInt32);

/**
 * A row id of a 64-bit log column (prediction_logs, service_calls, audit_logs): bounded by what a JSON number
 * carries exactly (2^53 − 1), so the id a reply gave is the id the next request names.
 */
export const logIdParam = (field: string) => boundedId(field, maxLogId);
