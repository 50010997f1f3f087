import type { ServiceVersion } from '@mlapi/ml';
import { t } from './init.ts';
import { admitServiceCall } from '../features/quota/admit-service-call.ts';
import { auditAdminAction } from '../features/audit/admin-audit.ts';
import { authenticated, requireAdmin, requireKeyScope, requireSession } from '../features/auth/authenticate.ts';
import { databaseUnavailable } from './database-errors.ts';
import { logServiceCall } from '../features/call-log/log-service-call.ts';

export type { Meta } from './init.ts';
export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Every procedure starts here: a database outage becomes a 503. */
const baseProcedure = t.procedure.use(databaseUnavailable);

export const publicProcedure = baseProcedure.meta({ authRequired: false, access: 'public' });
const signedInProcedure = baseProcedure.meta({ authRequired: true });
/**
 * A valid session token or API key AND a user who still exists (with the same token version). Only for what an API
 * key may do besides the model services: reading its owner's own profile, history and usage.
 */
export const apiKeyAllowedProcedure = signedInProcedure.use(authenticated).meta({ access: 'apiKeyAllowed' });
/** A signed-in user by session token: an API key gets 403 (key management, password change, everything admin). */
export const protectedProcedure = apiKeyAllowedProcedure.use(requireSession).meta({ access: 'session' });
/** An active admin, by session token; each successful mutation commits with its audit row. */
export const adminProcedure = protectedProcedure.use(requireAdmin).use(auditAdminAction).meta({ access: 'admin' });
/** The non-call routes of a model service (feedback, model description): a token, or an API key scoped to it. */
export const serviceReaderProcedure = (version: ServiceVersion) =>
  apiKeyAllowedProcedure.use(requireKeyScope(version)).meta({ access: 'serviceReader' });
/**
 * A model service: every call is logged (success or failure), then the user must be active with the right (and
 * the API key scoped to the service), then within their quota.
 */
export const serviceProcedure = (version: ServiceVersion) =>
  signedInProcedure.use(authenticated).use(logServiceCall(version)).use(admitServiceCall(version)).meta({ access: 'service' });
