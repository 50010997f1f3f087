import type { IApiKey, IAuditLog, IServiceCall, IUser } from '@mlapi/db';
import type { ServiceCallDto, UserDto } from '@mlapi/schemas';

/** Entity → wire (snake_case, ISO dates, never the hash). */
export const toUserDto = (u: IUser): UserDto => ({
  id: u.id,
  username: u.username,
  first_name: u.firstName,
  last_name: u.lastName,
  country: u.country ?? null,
  is_active: u.isActive,
  role: u.role,
  has_access_v1: u.hasAccessV1,
  has_access_v2: u.hasAccessV2,
  calls_per_minute: u.callsPerMinute ?? null,
  calls_per_day: u.callsPerDay ?? null,
  created_at: u.createdAt.toISOString(),
});

export const toServiceCallDto = (c: IServiceCall): ServiceCallDto => ({
  id: c.id,
  service_version: c.serviceVersion,
  success: c.success,
  error: c.error ?? null,
  owner_id: c.owner ? Number(c.owner.id) : null,
  request_time: c.requestTime.toISOString(),
  completion_time: c.completionTime.toISOString(),
  duration: Number(c.duration),
  model_version: c.modelVersion ?? null,
});

export const toApiKeyDto = (k: IApiKey) => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  services: [...(k.scopeV1 ? ['v1' as const] : []), ...(k.scopeV2 ? ['v2' as const] : [])],
  created_at: k.createdAt.toISOString(),
  last_used_at: k.lastUsedAt?.toISOString() ?? null,
  revoked_at: k.revokedAt?.toISOString() ?? null,
});

export const toAuditDto = (a: IAuditLog) => ({
  id: a.id,
  actor_id: a.actor ? Number(a.actor.id) : null,
  actor_username: a.actorUsername,
  action: a.action,
  target_user_id: a.targetUserId ?? null,
  target_username: a.targetUsername ?? null,
  details: a.details ?? null,
  created_at: a.createdAt.toISOString(),
});
