/**
 * Walking a list to its end by `next_cursor`: each page starts right after the last row of the one before (keyset
 * paging), so rows added meanwhile never shift a page and no row is read twice, however long the list.
 */
import type { Page } from '@mlapi/schemas';

/** A list procedure of the client: `mlapi.user.history`, `mlapi.admin.list`, `mlapi.admin.audit`, `mlapi.apiKeys.list`. */
export interface ListProcedure<I extends { cursor?: string | undefined }, P extends Page<unknown>> {
  query(input: I): Promise<P>;
}

/** The query of a walk: the list's own filters and `limit`; the cursor is the walk's, an offset makes no sense. */
export type WalkInput<I> = Omit<I, 'cursor' | 'offset'>;

/**
 * Every page of a list, in the list's order, fetched one after the other as you iterate; from the start, or from
 * the page after a `next_cursor` you kept:
 *
 * ```ts
 * for await (const page of pages(mlapi.admin.audit, { user_id: 7, limit: 500 })) console.log(page.items.length);
 * ```
 */
export async function* pages<I extends { cursor?: string | undefined }, P extends Page<unknown>>(
  list: ListProcedure<I, P>,
  input: WalkInput<I> = {} as WalkInput<I>,
  from?: string,
): AsyncGenerator<P, void, undefined> {
  let cursor = from;
  do {
    const page = await list.query({ ...input, cursor } as unknown as I);
    yield page;
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
}

/**
 * Every item of a list, in the list's order, page after page by cursor:
 *
 * ```ts
 * for await (const call of allItems(mlapi.user.history, { limit: 500 })) console.log(call.id, call.prediction_id);
 * ```
 */
export async function* allItems<I extends { cursor?: string | undefined }, T>(
  list: ListProcedure<I, Page<T>>,
  input?: WalkInput<I>,
): AsyncGenerator<T, void, undefined> {
  for await (const page of pages(list, input)) yield* page.items;
}
