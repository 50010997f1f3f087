import { defineEntity, p } from '@mikro-orm/core';
import { serviceVersions } from '@mlapi/schemas';
import { User } from './user.entity.ts';

/**
 * One call to a model service. The owner becomes null when the user is deleted (the deletion sets it, see
 * repositories/audit-log.ts), so global statistics survive. On PostgreSQL the table is range-partitioned by month of
 * `request_time`, so the partition key is part of the primary key (SQLite keeps `id` alone: see orm-config.ts).
 *
 * No foreign key on the owner: its check ran once per row of every group commit (measured ≈ 6 µs of PostgreSQL CPU
 * a call). The same commit adds to user_rollups, whose foreign key checks each owner once (one row per owner and
 * minute) and so keeps the deletion race closed: a commit that meets a deleted owner fails as a whole. SQLite
 * databases keep the key their first migration made (dropping one there means rebuilding the table).
 */
export const ServiceCall = defineEntity({
  name: 'ServiceCall',
  tableName: 'service_calls',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    // No index of its own: no read filters the raw calls by service (the rollups answer those), and one of two
    // values would cost every call's insert (measured ≈ 5–10 µs of PostgreSQL CPU a call) and disk at volume.
    serviceVersion: p.enum([...serviceVersions]),
    success: p.boolean(),
    error: p.text().nullable(),
    owner: () => p.manyToOne(User).nullable().createForeignKeyConstraint(false),
    requestTime: p.datetime().primary().index(),
    completionTime: p.datetime(),
    duration: p.double(),
    /** The version of the model that answered (for a refused call: the one serving then); null in rows from before. */
    modelVersion: p.string().length(63).nullable(),
  },
  // A user's history, newest first, page after page by key (and the owner's rows when the user is deleted).
  indexes: [{ properties: ['owner', 'requestTime', 'id'] }],
});
