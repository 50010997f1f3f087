import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { roles } from '@mlapi/schemas';

/** A person who may call the model services. `tokenVersion` invalidates every earlier token when bumped. */
export const User = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: {
    id: p.integer().primary().autoincrement(),
    username: p.string().length(254).unique(),
    firstName: p.string().length(127),
    lastName: p.string().length(127),
    country: p.string().length(127).nullable(),
    hashedPassword: p.string().length(255).hidden(),
    isActive: p.boolean().default(false),
    role: p.enum([...roles]).default('user'),
    hasAccessV1: p.boolean().default(false),
    hasAccessV2: p.boolean().default(false),
    tokenVersion: p.integer().default(0),
    /** Calls allowed per service per minute / per day; null means the server default. */
    callsPerMinute: p.integer().nullable(),
    callsPerDay: p.integer().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export type IUser = InferEntity<typeof User>;
