import type { ApiKeyRecord, AuditRecord, CallRecord, UserRecord } from '@mlapi/db';
import type { ServiceCallDto, UserDto } from '@mlapi/schemas';

/** Record → wire (snake_case, ISO dates, never the hash). */
export const toUserDto = (u: UserRecord): UserDto => ({
  id: u.id,
  username: u.username,
  first_name: u.firstName,
  last_name: u.lastName,
  country: u.country,
  is_active: u.isActive,
  role: u.role,
  has_access_v1: u.hasAccessV1,
  has_access_v2: u.hasAccessV2,
  calls_per_minute: u.callsPerMinute,
  calls_per_day: u.callsPerDay,
  created_at: u.createdAt.toISOString(),
});

export const toServiceCallDto = (c: CallRecord): ServiceCallDto => ({
  id: c.id,
  service_version: c.serviceVersion,
  success: c.success,
  error: c.error,
  owner_id: c.ownerId,
  request_time: c.requestTime.toISOString(),
  completion_time: c.completionTime.toISOString(),
  duration: c.duration,
  model_version: c.modelVersion,
});

export const toApiKeyDto = (k: ApiKeyRecord) => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  services: [...(k.scopeV1 ? ['v1' as const] : []), ...(k.scopeV2 ? ['v2' as const] : [])],
  created_at: k.createdAt.toISOString(),
  last_used_at: k.lastUsedAt?.toISOString() ?? null,
  revoked_at: k.revokedAt?.toISOString() ?? null,
});

export const toAuditDto = (a: AuditRecord) => ({
  id: a.id,
  actor_id: a.actorId,
  actor_username: a.actorUsername,
  action: a.action,
  target_user_id: a.targetUserId,
  target_username: a.targetUsername,
  details: a.details,
  created_at: a.createdAt.toISOString(),
});
