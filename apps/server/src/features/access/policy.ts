import type { KeySnapshot, PredictionForFeedback, UserRecord } from '@mlapi/db';
import type { OwnUsageQuery, ServiceVersion, UsageQuery } from '@mlapi/schemas';
import { TRPCError } from '@trpc/server';

/**
 * Every rule of who may do what, in one place. Each rule is a pure function of the caller as stored now (never of
 * a token's claims) and answers the reason for a refusal, or null. The named procedures (core/procedures.ts) apply
 * the rules about routes; a handler applies only the ownership rules below, which need the record it has loaded.
 */

/** The one admin check: an admin who is active. */
const isActiveAdmin = (user: UserRecord): boolean => user.role === 'admin' && user.isActive;

/** Refuses with a 403 naming the reason, when there is one. */
export function assertAllowed(denial: string | null): void {
  if (denial) throw new TRPCError({ code: 'FORBIDDEN', message: denial });
}

/** An API key is for the model services: anything else needs a session (a token from POST /auth/token). */
export const sessionDenial = (apiKey: KeySnapshot | null): string | null =>
  apiKey
    ? "API keys may call the model services and read their owner's profile, history and usage only: sign in with a password (POST /auth/token) for this"
    : null;

export const adminDenial = (user: UserRecord): string | null => (isActiveAdmin(user) ? null : 'Admin rights required');

/** With an API key, the key must be scoped to the service (a token carries no scope). */
export const keyScopeDenial = (version: ServiceVersion, apiKey: KeySnapshot | null): string | null =>
  apiKey && !(version === 'v1' ? apiKey.scopeV1 : apiKey.scopeV2)
    ? `This API key is not scoped to service ${version}`
    : null;

/** Whether this user (through this API key, if any) may call this service right now. */
export function serviceDenial(user: UserRecord, version: ServiceVersion, apiKey: KeySnapshot | null): string | null {
  if (!user.isActive) return 'Account is inactive: an admin must activate it';
  const allowed = version === 'v1' ? user.hasAccessV1 : user.hasAccessV2;
  if (!allowed) return `No access to service ${version}: ask an admin to grant has_access_${version}`;
  return keyScopeDenial(version, apiKey);
}

/** Ownership: a user sees (and gives feedback on) their own predictions; an active admin sees all. */
export const canSeePrediction = (user: UserRecord, prediction: PredictionForFeedback): boolean =>
  isActiveAdmin(user) || prediction.ownerId === user.id;

/** Ownership: `GET /user/usage` counts only the caller's own calls, whatever was asked. */
export const ownCallsOnly = (user: UserRecord, q: OwnUsageQuery): UsageQuery => ({ ...q, user_id: user.id });

/** An admin change that could leave the system without an active admin. */
export type AdminChange = 'delete' | 'demote' | 'deactivate';

/**
 * Admin changes: an admin never deletes, demotes or deactivates themself, and the last active admin stays one.
 * `activeAdmins` are the active admins as locked by the change's transaction (see lockAdminChangeTarget).
 */
export function adminChangeDenial(
  actor: UserRecord,
  target: UserRecord,
  activeAdmins: number,
  change: AdminChange,
): string | null {
  if (actor.id === target.id) return `an admin cannot ${change} themself`;
  if (isActiveAdmin(target) && activeAdmins <= 1) return `cannot ${change} the last active admin`;
  return null;
}
