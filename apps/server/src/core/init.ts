import { initTRPC } from '@trpc/server';
import superjson from 'superjson';
import type { OpenApiMeta } from 'trpc-to-openapi';
import type { Context } from './context.ts';
import { formatError } from './errors.ts';

/** Who may call a procedure, as its named procedure (procedures.ts) says: what the OpenAPI document derives 401/403 and security from. */
export type Access = 'public' | 'apiKeyAllowed' | 'session' | 'admin' | 'serviceReader' | 'service';

/**
 * Route metadata: the REST mapping, who may call (set by the base procedure), the success status, and the error
 * statuses only this route answers (404, 409, 413, 429, …; the rest follow from its access, input and method).
 */
export type Meta = OpenApiMeta<{
  authRequired?: boolean;
  access?: Access;
  successStatus?: 200 | 201 | 202 | 204;
  errors?: Partial<Record<404 | 409 | 413 | 429 | 401 | 503, string>>;
  /** 'upload': the body may be up to MAX_UPLOAD_BYTES instead of MAX_BODY_BYTES (read only after authorization). */
  bodyLimit?: 'upload';
}>;

/** The one tRPC instance. Only core/ uses it; routers build on the named procedures of procedures.ts. */
export const t = initTRPC.context<Context>().meta<Meta>().create({
  transformer: superjson,
  errorFormatter: formatError,
});
