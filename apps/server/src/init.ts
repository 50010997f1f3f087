import { initTRPC } from '@trpc/server';
import superjson from 'superjson';
import type { OpenApiMeta } from 'trpc-to-openapi';
import type { Context } from './context.ts';
import { formatError } from './errors.ts';

/** Route metadata: the REST mapping, whether a token is needed (set by the base procedure), the success status. */
export type Meta = OpenApiMeta<{ authRequired?: boolean; successStatus?: 200 | 201 | 204 }>;

/** The one tRPC instance. Only trpc.ts and the middleware use it; routers build on trpc.ts's procedures. */
export const t = initTRPC.context<Context>().meta<Meta>().create({
  transformer: superjson,
  errorFormatter: formatError,
});
