import type { RepositoryContext } from './context.ts';

export function healthRepository({ db }: RepositoryContext) {
  return {
    /** Whether the database answers a trivial query (within the pool's configured timeout). */
    async reachable(): Promise<boolean> {
      return db.sql.read('select 1 as ok', []).then(
        () => true,
        () => false,
      );
    },
  };
}
