import type { Database } from '../orm.ts';
import { dialectOf, type Dialect } from '../dialect.ts';

/** What every repository is built from: the database and its dialect's storage formats. */
export interface RepositoryContext {
  db: Database;
  dialect: Dialect;
}

export const repositoryContext = (db: Database): RepositoryContext => ({ db, dialect: dialectOf(db.target.dialect) });
