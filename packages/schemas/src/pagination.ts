import { z } from 'zod';

const maxPageSize = 500;

/** `?limit=` (default 50, max 500) and `?offset=` on every list. */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(maxPageSize).default(50).describe('How many items to return (1–500).'),
  offset: z.coerce.number().int().min(0).default(0).describe('How many items to skip.'),
});
export type PageQuery = z.infer<typeof pageQuery>;

/** The reply of every list: `{ items, total, limit, offset }`. */
export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), limit: z.number().int(), offset: z.number().int() });

/** A list reply of `T`s: `{ items, total, limit, offset }`. */
/** @public re-exported by the SDK for its users */
export type Page<T> = z.infer<ReturnType<typeof page<z.ZodType<T>>>>;
