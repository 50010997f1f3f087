import type { KeySnapshot, UserRecord } from '@mlapi/db';
import type { ServiceVersion } from '@mlapi/ml';
import { TRPCError } from '@trpc/server';
import { t } from '../../core/init.ts';
import { chargeQuota } from './charge-quota.ts';
import { serviceDenial } from '../access/policy.ts';

/**
 * The checks a model service call passes once it is being logged: the user is active with `has_access_vN` (and
 * the API key is scoped to the service), read from the current user row → else 403; then the call is counted
 * against the quotas → else 429. One middleware rather than two: each tRPC layer copies the call's options and
 * context (≈ 4 µs per call).
 */
export const admitServiceCall = (version: ServiceVersion) =>
  t.middleware(async ({ ctx, next }) => {
    const { user, apiKey } = ctx as typeof ctx & { user: UserRecord; apiKey: KeySnapshot | null };
    const denial = serviceDenial(user, version, apiKey);
    if (denial) throw new TRPCError({ code: 'FORBIDDEN', message: denial });
    await chargeQuota(ctx, user, version);
    return next();
  });
