import type { IApiKey, IUser } from '@mlapi/db';
import type { ServiceVersion } from '@mlapi/ml';
import { TRPCError } from '@trpc/server';
import { t } from '../init.ts';

/** Whether this user (through this API key, if any) may call this service right now; the reason if not. */
export function serviceDenial(user: IUser, version: ServiceVersion, apiKey: IApiKey | null = null): string | null {
  if (!user.isActive) return 'Account is inactive: an admin must activate it';
  const allowed = version === 'v1' ? user.hasAccessV1 : user.hasAccessV2;
  if (!allowed) return `No access to service ${version}: ask an admin to grant has_access_${version}`;
  if (apiKey && !(version === 'v1' ? apiKey.scopeV1 : apiKey.scopeV2)) return `This API key is not scoped to service ${version}`;
  return null;
}

/** The per-service check: an active user with `has_access_vN`, read from the current user row. */
export const requireServiceAccess = (version: ServiceVersion) =>
  t.middleware(({ ctx, next }) => {
    const { user, apiKey } = ctx as typeof ctx & { user: IUser; apiKey: IApiKey | null };
    const denial = serviceDenial(user, version, apiKey);
    if (denial) throw new TRPCError({ code: 'FORBIDDEN', message: denial });
    return next();
  });
