import type { ServiceVersion } from '@mlapi/schemas';
import { getTRPCErrorFromUnknown } from '@trpc/server';
import { adminDenial, assertAllowed, keyScopeDenial, serviceDenial, sessionDenial } from '../features/access/policy.ts';
import { AdminAudit } from '../features/audit/admin-audit.ts';
import { authenticate } from '../features/auth/authenticate.ts';
import { closeServiceCall, openServiceCall } from '../features/call-log/log-service-call.ts';
import { chargeQuota } from '../features/quota/charge-quota.ts';
import { answeringDatabaseErrors, databaseErrorAnswer, databaseUnavailable } from './database-errors.ts';
import { t } from './init.ts';

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * The named procedures: every route is built from one of these, and they are where authentication, rights, the
 * admin audit, the call log and quotas are applied (the rules themselves live in features/access/policy.ts and the
 * features named below). Each `.use()` narrows the context for the next, typed by tRPC: no handler checks rights.
 */

/** Every procedure starts here: a database outage becomes a 503. */
const baseProcedure = t.procedure.use(databaseUnavailable);

export const publicProcedure = baseProcedure.meta({ authRequired: false, access: 'public' });

/**
 * A valid session token or API key AND a user who still exists (with the same token version): `ctx.user` and
 * `ctx.apiKey` (features/auth/authenticate.ts). One layer with the database errors' answers (as in `baseProcedure`),
 * an outage while authenticating included: tRPC copies the call's options and context at every layer.
 */
const signedInProcedure = t.procedure.meta({ authRequired: true }).use(async ({ ctx, next }) => {
  const signedIn = await authenticate(ctx).catch((cause: unknown) => {
    throw databaseErrorAnswer(getTRPCErrorFromUnknown(cause)) ?? cause;
  });
  return answeringDatabaseErrors(await next({ ctx: signedIn }));
});

/** What an API key may do besides the model services: read its owner's own profile, history and usage. */
export const apiKeyAllowedProcedure = signedInProcedure.meta({ access: 'apiKeyAllowed' });

/** A signed-in user by session token: an API key gets 403 (key management, password change, everything admin). */
export const protectedProcedure = apiKeyAllowedProcedure
  .use(({ ctx, next }) => {
    assertAllowed(sessionDenial(ctx.apiKey));
    return next();
  })
  .meta({ access: 'session' });

/** An active admin, by session token; each successful mutation commits with its audit row (`ctx.audit`). */
export const adminProcedure = protectedProcedure
  .use(({ ctx, next }) => {
    assertAllowed(adminDenial(ctx.user));
    return next();
  })
  .use(async ({ ctx, next, type, path }) => {
    const audit = new AdminAudit(ctx.deps.data, ctx.user, path);
    const result = await next({ ctx: { audit } });
    audit.assertAudited(type, result.ok);
    return result;
  })
  .meta({ access: 'admin' });

/** The non-call routes of a model service (feedback, model description): a token, or an API key scoped to it. */
export const serviceReaderProcedure = (version: ServiceVersion) =>
  apiKeyAllowedProcedure
    .use(({ ctx, next }) => {
      assertAllowed(keyScopeDenial(version, ctx.apiKey));
      return next();
    })
    .meta({ access: 'serviceReader' });

/**
 * A model service call: logged whatever its outcome (features/call-log, `ctx.callLog`), then the user must be
 * active with the right and the API key scoped to the service (403), then within their quota (features/quota, 429).
 * The log, rights and quota are one layer: each tRPC layer copies the call's options and context.
 */
export const serviceProcedure = (version: ServiceVersion) =>
  signedInProcedure
    .use(async ({ ctx, next }) => {
      const callLog = openServiceCall(ctx, version, ctx.user);
      try {
        assertAllowed(serviceDenial(ctx.user, version, ctx.apiKey));
        await chargeQuota(ctx, ctx.user, version);
      } catch (cause) {
        // Refused: logged as a failure, then answered as any middleware's error is.
        await closeServiceCall(ctx, version, callLog, { ok: false, error: getTRPCErrorFromUnknown(cause) });
        throw cause;
      }
      const result = await next({ ctx: { callLog } });
      await closeServiceCall(ctx, version, callLog, result);
      return result;
    })
    .meta({ access: 'service' });
