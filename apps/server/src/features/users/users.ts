import { DuplicateKeyError, type UserChanges, type UserRecord, type UsersRepository } from '@mlapi/db';
import type { RegisterInput, Role } from '@mlapi/schemas';
import { TRPCError } from '@trpc/server';
import { adminChangeDenial, assertAllowed, type AdminChange } from '../access/policy.ts';
import type { PasswordHasher } from '../auth/passwords.ts';

export interface NewUser extends RegisterInput {
  role?: Role;
  isActive?: boolean;
  hasAccessV1?: boolean;
  hasAccessV2?: boolean;
}

const taken = (username: string) =>
  new TRPCError({ code: 'CONFLICT', message: `username ${username} is already registered` });
const notFound = (id: number) => new TRPCError({ code: 'NOT_FOUND', message: `user ${id} not found` });

/**
 * Adds a user whose password is already hashed, through `users.insert` (the repository, or an admin action's unit
 * of work); a taken username is a 409.
 */
export async function insertUser(
  users: Pick<UsersRepository, 'insert'>,
  input: NewUser,
  hashedPassword: string,
): Promise<UserRecord> {
  try {
    return await users.insert({
      username: input.username,
      firstName: input.first_name,
      lastName: input.last_name,
      country: input.country ?? null,
      hashedPassword,
      role: input.role ?? 'user',
      isActive: input.isActive ?? false,
      hasAccessV1: input.hasAccessV1 ?? false,
      hasAccessV2: input.hasAccessV2 ?? false,
    });
  } catch (err) {
    if (err instanceof DuplicateKeyError) throw taken(input.username);
    throw err;
  }
}

/** Creates a user: hashes the password (slow, on purpose), then inserts. */
export async function createUser(
  users: UsersRepository,
  passwords: PasswordHasher,
  input: NewUser,
): Promise<UserRecord> {
  return insertUser(users, input, await passwords.hash(input.password));
}

export async function findUserOr404(users: UsersRepository, id: number): Promise<UserRecord> {
  const user = await users.byId(id);
  if (!user) throw notFound(id);
  return user;
}

/** The user of this id, its row locked until the admin action's transaction ends; else 404. */
export async function lockUserOr404(tx: UserChanges, id: number): Promise<UserRecord> {
  const user = await tx.lockUser(id);
  if (!user) throw notFound(id);
  return user;
}

/**
 * The target of a change that could leave the system without an active admin (delete, demote, deactivate), loaded
 * in the change's transaction, and refused as the access policy says (adminChangeDenial: not oneself, not the last
 * active admin).
 * Every active admin row is locked first, in id order (so two such changes never deadlock), then the target: a
 * concurrent change to another admin waits for this transaction to commit and then counts what it left, so two
 * admins removing each other at the same moment cannot both succeed. (SQLite: its one writer serialises anyway.)
 */
export async function lockAdminChangeTarget(
  tx: UserChanges,
  actor: UserRecord,
  targetId: number,
  change: AdminChange,
): Promise<UserRecord> {
  const admins = await tx.lockActiveAdmins();
  const target = admins.find((a) => a.id === targetId) ?? (await lockUserOr404(tx, targetId));
  assertAllowed(adminChangeDenial(actor, target, admins.length, change));
  return target;
}
