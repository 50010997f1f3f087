import { z } from 'zod';

/** The largest value of a 32-bit signed integer column (PostgreSQL `integer`/`serial`). */
export const maxInt32 = 2_147_483_647;

/**
 * A row id from a path, query or body (coerced from its text): a positive integer no larger than its column holds.
 * User, API key and prediction ids are 32-bit columns today; an id beyond that range is bad input (422), never a
 * query the database refuses (500). Worded as every field is (messages.ts), but for the sign.
 */
export const idParam = (field: string) =>
  z.coerce
    .number()
    .int()
    .positive({ error: `${field} must be a positive integer` })
    .max(maxInt32)
    .meta({ example: 1 });
