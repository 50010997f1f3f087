import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { User } from './user.entity.ts';

/** Who did what to whom, and when: one row per admin action. Names are copied so rows outlive deletions. */
export const AuditLog = defineEntity({
  name: 'AuditLog',
  tableName: 'audit_logs',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    actor: () => p.manyToOne(User).nullable().deleteRule('set null').index(),
    actorUsername: p.string().length(254),
    action: p.string().length(63),
    targetUserId: p.integer().nullable(),
    targetUsername: p.string().length(254).nullable(),
    details: p.json<Record<string, unknown>>().nullable(),
    createdAt: p
      .datetime()
      .onCreate(() => new Date())
      .index(),
  },
  // The actions on one user, newest first, page after page by key.
  indexes: [{ properties: ['targetUserId', 'id'] }],
});

export type IAuditLog = InferEntity<typeof AuditLog>;
