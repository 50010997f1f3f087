import { z } from 'zod';
import { plainString } from './plain-text.ts';

/** What a user may do: an admin manages users, keys and models besides calling the services. */
export const roles = ['admin', 'user'] as const;
export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

/** bcrypt reads at most 72 bytes; a longer password is refused rather than silently truncated. */
const maxPasswordBytes = 72;
/** The shortest password a user may choose (the development superuser's is made without this schema). */
const minPasswordLength = 8;
/** The longest username (an email address), after trimming. */
export const maxUsernameLength = 254;

const utf8Bytes = (s: string) => new TextEncoder().encode(s).length;

/** A string schema's bcrypt bound: at most 72 bytes, or bcrypt would ignore the rest. */
const withinBcryptLimit = <S extends z.ZodString>(schema: S, field: string) =>
  schema.refine((p) => utf8Bytes(p) <= maxPasswordBytes, {
    error: `${field} must be at most ${maxPasswordBytes} bytes (bcrypt ignores anything longer)`,
  });

/**
 * A password as presented (at login, or the current one at a password change): any length from 1, so passwords
 * chosen under older rules still work, but never over 72 bytes — bcrypt would ignore the rest, so a longer one
 * would be accepted for its first 72 bytes. Passwords are hashed, never stored: NUL and the like are allowed.
 */
export const presentedPasswordSchema = (field = 'password') =>
  withinBcryptLimit(z.string().min(1, `${field} is required`), field);

/** A new password (registration, admin creation, password change): 8 characters to 72 bytes. */
const newPasswordSchema = (field = 'password') =>
  withinBcryptLimit(
    z.string().min(minPasswordLength, `${field} must be at least ${minPasswordLength} characters`),
    field,
  );
const passwordSchema = newPasswordSchema();

/** Usernames are email addresses, compared case-insensitively. */
const usernameSchema = plainString('username')
  .trim()
  .toLowerCase()
  .pipe(
    z
      .email('username must be an email address')
      .max(maxUsernameLength, `username must be at most ${maxUsernameLength} characters`),
  );

const name = (field: string) =>
  plainString(field).trim().min(1, `${field} is required`).max(127, `${field} must be at most 127 characters`);

/** `POST /auth/create` and `POST /admin/create`. Unknown fields (role, has_access_v1, …) are dropped. */
export const registerInput = z
  .object({
    username: usernameSchema,
    first_name: name('first_name'),
    last_name: name('last_name'),
    password: passwordSchema,
    country: name('country').nullish(),
  })
  .meta({
    example: {
      username: 'ada@example.com',
      first_name: 'Ada',
      last_name: 'Lovelace',
      password: 'correct horse battery',
      country: 'UK',
    },
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

export const changePasswordInput = z
  .object({
    password: presentedPasswordSchema('password').describe('The current password.'),
    new_password: newPasswordSchema('new_password'),
  })
  .meta({ example: { password: '8888', new_password: 'a longer passphrase' } });
/** @public re-exported by the SDK for its users */
export type ChangePasswordInput = z.infer<typeof changePasswordInput>;
