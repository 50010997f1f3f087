import { z } from 'zod';
import { idParam } from './id.ts';
import { logPageQuery } from './pagination.ts';
import { roleSchema } from './user.ts';

export const userIdInput = z.object({ user_id: idParam('user_id') });

/** `PUT /admin/users/{user_id}`: rights only, each optional; a role never changes here. */
export const updateRightsInput = userIdInput
  .extend({
    is_active: z.boolean().optional(),
    has_access_v1: z.boolean().optional(),
    has_access_v2: z.boolean().optional(),
  })
  .meta({ example: { is_active: true, has_access_v1: true, has_access_v2: false } });
export type UpdateRightsInput = z.infer<typeof updateRightsInput>;

export const updateRoleInput = userIdInput.extend({ role: roleSchema }).meta({ example: { role: 'admin' } });

const quota = z.number().int().min(0).max(1_000_000_000).nullable().optional();

/** `PUT /admin/users/{user_id}/quota`: calls per service per minute and per day; null = server default, 0 = unlimited. */
export const updateQuotaInput = userIdInput
  .extend({ calls_per_minute: quota, calls_per_day: quota })
  .meta({ example: { calls_per_minute: 60, calls_per_day: 10_000 } });

export const auditQuery = logPageQuery.safeExtend({
  user_id: idParam('user_id').optional().describe('Only actions on this user.'),
});

export const auditEntrySchema = z.object({
  id: z.number().int(),
  actor_id: z.number().int().nullable(),
  actor_username: z.string(),
  action: z.string(),
  target_user_id: z.number().int().nullable(),
  target_username: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
  created_at: z.iso.datetime(),
});
