import { User, type IUser, type RawRow } from '@mlapi/db';
import type { ServiceVersion } from '@mlapi/ml';
import { TRPCError } from '@trpc/server';
import { readKeyOwner, readUserRow, userSnapshot, type KeySnapshot } from '../auth/current-user.ts';
import type { Context } from '../context.ts';
import { t } from '../init.ts';
import { apiKeyPrefix, presentedKeyHash, touchKey } from '../services/api-keys.ts';

const bearer = /^Bearer\s+(\S+)$/i;

const unauthorized = (message: string) => new TRPCError({ code: 'UNAUTHORIZED', message });

/**
 * Who is calling, from a bearer JWT or an API key (`Authorization: Bearer mlk_…` or `X-API-Key`): the current
 * `users` row, read now in one plain statement. A token counts only while its user exists and its token version
 * (bumped by a password change) matches; a key only while it is not revoked. Rights are never taken from the token.
 */
async function signIn(ctx: Context): Promise<{ row: RawRow; apiKey: KeySnapshot | null }> {
  const { db } = ctx.deps;
  const presented = ctx.request.authorization?.match(bearer)?.[1];
  const key = ctx.request.apiKey ?? (presented?.startsWith(apiKeyPrefix) ? presented : undefined);
  if (key) {
    const hash = presentedKeyHash(key);
    const found = hash ? await readKeyOwner(db, hash) : null;
    if (!found) throw unauthorized('Invalid or revoked API key');
    await touchKey(db, found.key, ctx.deps.now());
    return { row: found.row, apiKey: found.key };
  }
  if (!presented) throw unauthorized('Not authenticated: send Authorization: Bearer <token> (or an API key in X-API-Key)');
  const claims = ctx.deps.tokens.verify(presented);
  if (!claims) throw unauthorized('Could not validate credentials: invalid or expired token');
  const row = await readUserRow(db, Number(claims.sub));
  if (!row || Number(row.token_version) !== claims.ver) throw unauthorized('Could not validate credentials: the token is no longer valid');
  return { row, apiKey: null };
}

/**
 * Narrows the context to a signed-in user. Queries get the user as a frozen plain snapshot of the row; mutations
 * get it as an entity managed by the request's EntityManager (from the same row, no second read), so a handler
 * may change it and flush — a password change, an API key owned by it.
 */
export const authenticated = t.middleware(async ({ ctx, next, type }) => {
  const { row, apiKey } = await signIn(ctx);
  const user: IUser = type === 'mutation' ? ctx.em.map(User, row) : userSnapshot(ctx.deps.db, row);
  return next({ ctx: { user, apiKey } });
});

/** The same check for procedures that only read the user (the model services): always the plain snapshot. */
export const authenticatedReader = t.middleware(async ({ ctx, next }) => {
  const { row, apiKey } = await signIn(ctx);
  return next({ ctx: { user: userSnapshot(ctx.deps.db, row), apiKey } });
});

/** An API key is for the model services: anything else needs a session (a token from POST /auth/token). */
export const requireSession = t.middleware(({ ctx, next }) => {
  const { apiKey } = ctx as typeof ctx & { apiKey: KeySnapshot | null };
  if (apiKey)
    throw new TRPCError({
      code: 'FORBIDDEN',
      message:
        "API keys may call the model services and read their owner's profile, history and usage only: sign in with a password (POST /auth/token) for this",
    });
  return next();
});

/** With an API key, the key must be scoped to this service (a token carries no scope). */
export const requireKeyScope = (version: ServiceVersion) =>
  t.middleware(({ ctx, next }) => {
    const { apiKey } = ctx as typeof ctx & { apiKey: KeySnapshot | null };
    if (apiKey && !(version === 'v1' ? apiKey.scopeV1 : apiKey.scopeV2))
      throw new TRPCError({ code: 'FORBIDDEN', message: `This API key is not scoped to service ${version}` });
    return next();
  });

export const requireAdmin = t.middleware(({ ctx, next }) => {
  const user = (ctx as { user?: IUser }).user;
  if (user?.role !== 'admin' || !user.isActive) throw new TRPCError({ code: 'FORBIDDEN', message: 'Admin rights required' });
  return next({ ctx: { user } });
});
