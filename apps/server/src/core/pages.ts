import type { Counted, PageRequest } from '@mlapi/db';
import { encodeCursor, type Page, type PageQuery } from '@mlapi/schemas';

/** The page a list query asks for: `limit` rows after `offset` rows, or after the row its cursor names (no OFFSET). */
export const pageRequest = ({ limit, offset, cursor }: PageQuery): PageRequest => ({ limit, offset, after: cursor });

/**
 * A list reply from the page a repository read: its items as DTOs, the (capped) total and whether it is exact, and
 * the opaque cursor of the next page (null on the last).
 */
export function pageReply<R, T>(query: PageQuery, page: Counted<R>, toDto: (row: R) => T): Page<T> {
  return {
    items: page.items.map(toDto),
    total: page.total,
    total_exact: page.totalExact,
    limit: query.limit,
    offset: query.offset,
    next_cursor: page.next ? encodeCursor(page.next) : null,
  };
}
