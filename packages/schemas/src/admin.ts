import { z } from 'zod';
import { roleSchema } from './user.ts';

export const userIdInput = z.object({ user_id: z.coerce.number().int().positive() });

/** `PUT /admin/users/{user_id}`: rights only, each optional; a role never changes here. */
export const updateRightsInput = userIdInput.extend({
  is_active: z.boolean().optional(),
  has_access_v1: z.boolean().optional(),
  has_access_v2: z.boolean().optional(),
});
export type UpdateRightsInput = z.infer<typeof updateRightsInput>;

export const updateRoleInput = userIdInput.extend({ role: roleSchema });
