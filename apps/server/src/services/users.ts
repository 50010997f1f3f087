import { UniqueConstraintViolationException } from '@mikro-orm/core';
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

/** Creates a user; a taken username is a 409, whether found first or caught by the unique index in a race. */
export async function createUser(em: Em, passwords: PasswordHasher, input: NewUser): Promise<IUser> {
  if (await em.count(User, { username: input.username }))
    throw new TRPCError({ code: 'CONFLICT', message: `username ${input.username} is already registered` });
  const user = em.create(User, {
    username: input.username,
    firstName: input.first_name,
    lastName: input.last_name,
    country: input.country ?? null,
    hashedPassword: await passwords.hash(input.password),
    role: input.role ?? 'user',
    isActive: input.isActive ?? false,
    hasAccessV1: input.hasAccessV1 ?? false,
    hasAccessV2: input.hasAccessV2 ?? false,
  });
  try {
    await em.flush();
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException)
      throw new TRPCError({ code: 'CONFLICT', message: `username ${input.username} is already registered` });
    throw err;
  }
  return user;
}

export async function findUserOr404(em: Em, id: number): Promise<IUser> {
  const user = await em.findOne(User, { id });
  if (!user) throw new TRPCError({ code: 'NOT_FOUND', message: `user ${id} not found` });
  return user;
}

export async function listUsers(em: Em, { limit, offset }: PageQuery) {
  const [items, total] = await em.findAndCount(User, {}, { orderBy: { id: 'asc' }, limit, offset });
  return { items, total };
}

/** Refuses what would leave the system without an active admin, or let an admin lock themself out. */
export async function assertAdminChangeAllowed(em: Em, actor: IUser, target: IUser, change: 'delete' | 'demote' | 'deactivate') {
  if (actor.id === target.id)
    throw new TRPCError({ code: 'FORBIDDEN', message: `an admin cannot ${change} themself` });
  if (target.role !== 'admin') return;
  const admins = await em.count(User, { role: 'admin', isActive: true });
  if (admins <= 1 && target.isActive)
    throw new TRPCError({ code: 'FORBIDDEN', message: `cannot ${change} the last active admin` });
}
