import type { UsersRepository } from '@mlapi/db';
import type { PasswordHasher } from '../auth/passwords.ts';
import type { Logger } from '../../core/logger.ts';
import { createUser } from './users.ts';

/** The development superuser's password when SUPERUSER_PASSWORD is unset (production refuses to start without it). */
export const developmentSuperuserPassword = '8888';

/**
 * Creates the superuser (active admin with both rights) when no user has its email; an existing one is left alone,
 * also one another replica starting at the same moment has just created.
 */
export async function ensureSuperuser(
  users: UsersRepository,
  passwords: PasswordHasher,
  logger: Logger,
  email: string,
  password: string | undefined,
) {
  const username = email.toLowerCase();
  if (await users.usernameTaken(username)) return;
  try {
    await createUser(users, passwords, {
      username,
      first_name: 'Super',
      last_name: 'User',
      password: password ?? developmentSuperuserPassword,
      role: 'admin',
      isActive: true,
      hasAccessV1: true,
      hasAccessV2: true,
    });
  } catch (err) {
    if (await users.usernameTaken(username)) return;
    throw err;
  }
  logger.info({ username: email, default_password: !password }, 'created superuser');
}
