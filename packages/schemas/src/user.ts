import { z } from 'zod';

export const roleSchema = z.enum(['admin', 'user']);
export type Role = z.infer<typeof roleSchema>;

/** bcrypt reads at most 72 bytes; a longer password is refused rather than silently truncated. */
export const maxPasswordBytes = 72;
export const passwordSchema = z
  .string()
  .min(4, 'password must be at least 4 characters')
  .refine((p) => Buffer.byteLength(p, 'utf8') <= maxPasswordBytes, {
    message: `password must be at most ${maxPasswordBytes} bytes (bcrypt ignores anything longer)`,
  });

/** Usernames are email addresses, compared case-insensitively. */
export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email('username must be an email address').max(254));

const name = z.string().trim().min(1).max(127);

/** `POST /auth/create` and `POST /admin/create`. Unknown fields (role, has_access_v1, …) are dropped. */
export const registerInput = z.object({
  username: usernameSchema,
  first_name: name,
  last_name: name,
  password: passwordSchema,
  country: name.nullish(),
});
export type RegisterInput = z.infer<typeof registerInput>;

/** A user as the API shows it: never the password hash. */
export const userSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  first_name: z.string(),
  last_name: z.string(),
  country: z.string().nullable(),
  is_active: z.boolean(),
  role: roleSchema,
  has_access_v1: z.boolean(),
  has_access_v2: z.boolean(),
  calls_per_minute: z.number().int().nullable().describe('Own limit per service per minute; null = server default.'),
  calls_per_day: z.number().int().nullable().describe('Own limit per service per day; null = server default.'),
  created_at: z.iso.datetime(),
});
export type UserDto = z.infer<typeof userSchema>;

export const changePasswordInput = z.object({
  password: z.string().min(1).describe('The current password.'),
  new_password: passwordSchema,
});
export type ChangePasswordInput = z.infer<typeof changePasswordInput>;
