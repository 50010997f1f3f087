import type { IServiceCall, IUser } from '@mlapi/db';
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
});
