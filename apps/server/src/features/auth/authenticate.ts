import type { KeySnapshot, UserRecord } from '@mlapi/db';
import type { ServiceVersion } from '@mlapi/ml';
import { TRPCError } from '@trpc/server';
import type { Context } from '../../core/context.ts';
import { t } from '../../core/init.ts';
import { apiKeyPrefix, presentedKeyHash, touchKey } from '../api-keys/api-keys.ts';

const bearer = /^Bearer\s+(\S+)$/i;

const unauthorized = (message: string) => new TRPCError({ code: 'UNAUTHORIZED', message });

/**
 * Who is calling, from a bearer JWT or an API key (`Authorization: Bearer mlk_…` or `X-API-Key`): the user as
 * stored now, read in one statement. A token counts only while its user exists and its token version (bumped by a
 * password change) matches; a key only while it is not revoked. Rights are never taken from the token, so a change
 * made on any replica counts on the very next request.
 */
async function signIn(ctx: Context): Promise<{ user: UserRecord; apiKey: KeySnapshot | null }> {
  const { data } = ctx.deps;
  const presented = ctx.request.authorization?.match(bearer)?.[1];
  const key = ctx.request.apiKey ?? (presented?.startsWith(apiKeyPrefix) ? presented : undefined);
  if (key) {
    const hash = presentedKeyHash(key);
    const found = hash ? await data.apiKeys.ownerOfKey(hash) : null;
    if (!found) throw unauthorized('Invalid or revoked API key');
    await touchKey(data.apiKeys, found.key, ctx.deps.now());
    return { user: found.user, apiKey: found.key };
  }
  if (!presented) throw unauthorized('Not authenticated: send Authorization: Bearer <token> (or an API key in X-API-Key)');
  const claims = ctx.deps.tokens.verify(presented);
  if (!claims) throw unauthorized('Could not validate credentials: invalid or expired token');
  const user = await data.users.byId(Number(claims.sub));
  if (!user || user.tokenVersion !== claims.ver) throw unauthorized('Could not validate credentials: the token is no longer valid');
  return { user, apiKey: null };
}

/** Narrows the context to a signed-in user (a frozen record of the user as stored now) and the API key, if any. */
export const authenticated = t.middleware(async ({ ctx, next }) => next({ ctx: await signIn(ctx) }));

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
  const user = (ctx as { user?: UserRecord }).user;
  if (user?.role !== 'admin' || !user.isActive) throw new TRPCError({ code: 'FORBIDDEN', message: 'Admin rights required' });
  return next({ ctx: { user } });
});
