import { z } from 'zod';
import { maxInt32, maxLogId } from './id.ts';

const maxPageSize = 500;

/**
 * Totals are counted exactly up to this many rows; past it `total` is this number and `total_exact` is false
 * ("at least"). Counting stops there, so a list of ten million rows costs no more to count than one of 10,001.
 */
export const maxExactTotal = 10_000;

/** The largest instant a JS Date holds, in milliseconds since the epoch. */
const maxInstantMs = 8_640_000_000_000_000;

/**
 * The opaque `next_cursor` of a reply: base64url of the JSON array of the last row's sort key (e.g. `[42]`, or
 * `[1733443200000, 42]` for a list in time order). Clients pass it back as it is.
 */
export function encodeCursor(key: readonly number[]): string {
  return btoa(JSON.stringify(key)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The sort key a cursor carries, if it is one this server could have written for a key within `bounds`. */
function decodeCursor(text: string, bounds: readonly number[]): number[] | null {
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(text)) return null;
  let key: unknown;
  try {
    key = JSON.parse(atob(text.replace(/-/g, '+').replace(/_/g, '/')));
  } catch {
    return null;
  }
  if (!Array.isArray(key) || key.length !== bounds.length) return null;
  const fits = key.every((v, i) => Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= bounds[i]!);
  // Only the one spelling this server writes: a cursor is not a place to smuggle other values in.
  return fits && encodeCursor(key as number[]) === text ? (key as number[]) : null;
}

/** `?cursor=`: a `next_cursor` of the same list, handed to the handler as the sort key it carries. */
const cursorParam = (bounds: readonly number[]) =>
  z
    .string()
    .transform((text, ctx) => {
      const key = decodeCursor(text, bounds);
      if (key) return key;
      ctx.issues.push({
        code: 'custom',
        input: text,
        message: 'cursor must be the next_cursor of a reply of this list, passed on unchanged',
      });
      return z.NEVER;
    })
    .describe(
      'The `next_cursor` of the previous reply: the page after it, read by key (no rows skipped one by one, stable ' +
        'while rows are added). Not together with `offset`.',
    )
    .meta({ example: 'WzQyXQ' });

/** `?limit=&offset=&cursor=` of a list whose rows are ordered by the sort key `bounds` describes (each column's largest value). */
const keysetPageQuery = (bounds: readonly number[]) =>
  z
    .object({
      limit: z.coerce.number().int().min(1).max(maxPageSize).default(50).describe('How many items to return (1–500).'),
      offset: z.coerce
        .number()
        .int()
        .min(0)
        .default(0)
        .describe('How many items to skip (slow deep into a long list: prefer `cursor`).'),
      cursor: cursorParam(bounds).optional(),
    })
    .refine((q) => q.cursor === undefined || q.offset === 0, {
      message: 'cursor cannot be combined with offset: a cursor page starts right after the row it names',
      path: ['cursor'],
    });

/** Paging of a list in order of a 32-bit id (users, API keys). */
export const pageQuery = keysetPageQuery([maxInt32]);
/** Paging of a log in order of its 64-bit id (the audit log). */
export const logPageQuery = keysetPageQuery([maxLogId]);
/** Paging of a log in order of time, then its 64-bit id (the call history). */
export const timedLogPageQuery = keysetPageQuery([maxInstantMs, maxLogId]);
export type PageQuery = z.infer<typeof pageQuery>;

/** The reply of every list: `{ items, total, total_exact, limit, offset, next_cursor }`. */
export const page = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    total: z
      .number()
      .int()
      .describe(
        `How many items the whole list holds, counted exactly up to ${maxExactTotal.toLocaleString('en')}; past that ` +
          `it is ${maxExactTotal.toLocaleString('en')} and total_exact is false ("at least").`,
      ),
    total_exact: z
      .boolean()
      .describe(`Whether total is exact; false when the list holds more than ${maxExactTotal.toLocaleString('en')}.`),
    limit: z.number().int(),
    offset: z.number().int(),
    next_cursor: z.string().nullable().describe('Pass as `?cursor=` for the next page; null on the last page.'),
  });

/** A list reply of `T`s: `{ items, total, total_exact, limit, offset, next_cursor }`. */
/** @public re-exported by the SDK for its users */
export type Page<T> = z.infer<ReturnType<typeof page<z.ZodType<T>>>>;
