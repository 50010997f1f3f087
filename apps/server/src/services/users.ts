import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import { User, type Em, type IUser } from '@mlapi/db';
import type { PageQuery, RegisterInput, Role } from '@mlapi/schemas';
import { TRPCError } from '@trpc/server';
import type { PasswordHasher } from '../auth/passwords.ts';

export interface NewUser extends RegisterInput {
  role?: Role;
  isActive?: boolean;
  hasAccessV1?: boolean;
  hasAccessV2?: boolean;
}

const taken = (username: string) => new TRPCError({ code: 'CONFLICT', message: `username ${username} is already registered` });

/**
 * Adds a user whose password is already hashed, in `em`'s unit of work (flushed here); a taken username is a 409,
 * whether found first or caught by the unique index in a race.
 */
export async function insertUser(em: Em, input: NewUser, hashedPassword: string): Promise<IUser> {
  if (await em.count(User, { username: input.username })) throw taken(input.username);
  const user = em.create(User, {
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
  try {
    await em.flush();
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) throw taken(input.username);
    throw err;
  }
  return user;
}

/** Creates a user: hashes the password (slow, on purpose), then inserts. */
export async function createUser(em: Em, passwords: PasswordHasher, input: NewUser): Promise<IUser> {
  return insertUser(em, input, await passwords.hash(input.password));
}

export async function findUserOr404(em: Em, id: number): Promise<IUser> {
  const user = await em.findOne(User, { id });
  if (!user) throw new TRPCError({ code: 'NOT_FOUND', message: `user ${id} not found` });
  return user;
}

/** The user of this id, its row locked until `tx` ends (PostgreSQL; SQLite's one writer serialises anyway); else 404. */
export async function lockUserOr404(tx: Em, id: number): Promise<IUser> {
  const user = await tx.findOne(User, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!user) throw new TRPCError({ code: 'NOT_FOUND', message: `user ${id} not found` });
  return user;
}

export async function listUsers(em: Em, { limit, offset }: PageQuery) {
  const [items, total] = await em.findAndCount(User, {}, { orderBy: { id: 'asc' }, limit, offset });
  return { items, total };
}

/**
 * The target of a change that could leave the system without an active admin (delete, demote, deactivate), loaded
 * in the change's transaction; refuses an admin changing themself and the removal of the last active admin.
 * Every active admin row is locked first, in id order (so two such changes never deadlock), then the target: a
 * concurrent change to another admin waits for this transaction to commit and then counts what it left, so two
 * admins removing each other at the same moment cannot both succeed. (SQLite: its one writer serialises anyway.)
 */
export async function lockAdminChangeTarget(tx: Em, actor: IUser, targetId: number, change: 'delete' | 'demote' | 'deactivate'): Promise<IUser> {
  const admins = await tx.find(User, { role: 'admin', isActive: true }, { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } });
  const target = admins.find((a) => a.id === targetId) ?? (await lockUserOr404(tx, targetId));
  if (actor.id === target.id) throw new TRPCError({ code: 'FORBIDDEN', message: `an admin cannot ${change} themself` });
  if (target.role === 'admin' && target.isActive && admins.length <= 1)
    throw new TRPCError({ code: 'FORBIDDEN', message: `cannot ${change} the last active admin` });
  return target;
}
