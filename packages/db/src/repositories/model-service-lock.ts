import { LockMode } from '@mikro-orm/core';
import { ModelVersion, type IModelVersion } from '../entities/model-version.entity.ts';
import type { Em } from '../orm.ts';
import type { ServiceName } from '../records.ts';

/**
 * Every version row of a service, locked (in id order) and read as locked, in `tx`: how every change of what a
 * service serves (promote, rollback, a rollout's start or end) takes its turn. Two replicas changing one service at
 * once go one after the other, and the second sees what the first committed.
 */
export function lockedVersions(tx: Em, service: ServiceName): Promise<IModelVersion[]> {
  return tx.find(
    ModelVersion,
    { serviceVersion: service },
    { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' }, refresh: true },
  );
}
