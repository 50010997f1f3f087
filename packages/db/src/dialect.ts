import type { DatabaseTarget } from './database-url.ts';

/**
 * How each dialect stores what the entities declare, for the statements this package writes by hand (the ORM
 * knows this on its own). SQLite (as MikroORM maps it) keeps instants as integer milliseconds and booleans as 0/1;
 * PostgreSQL has `timestamptz` and `boolean`, and returns `count(*)` and `bigint` as strings.
 */
export interface Dialect {
  readonly name: DatabaseTarget['dialect'];
  /** A JS value as this driver binds it: dates and booleans converted as MikroORM stores them. */
  bind: (value: unknown) => unknown;
  /** A stored instant as a Date. */
  date(value: unknown): Date;
  /** A stored boolean as a boolean. */
  bool(value: unknown): boolean;
  /** A stored JSON column as its value. */
  json<T>(value: unknown): T;
  /** The number of the `bucketMs`-wide bucket (counted from the epoch) an instant column falls in. */
  bucket(column: string, bucketMs: number): string;
  /** `column` is one of a list of integers bound as one parameter (see {@link Dialect.list}): one statement text for any length. */
  anyOf(column: string): string;
  /** A list of integers as the one parameter {@link Dialect.anyOf} takes. */
  list(values: readonly number[]): unknown;
  /** The clause that locks the selected rows until the transaction ends (SQLite's one writer serialises anyway). */
  readonly forUpdate: string;
}

const sqlite: Dialect = {
  name: 'sqlite',
  bind: (v) => (v instanceof Date ? v.getTime() : typeof v === 'boolean' ? Number(v) : v),
  date: (v) => new Date(Number(v)),
  bool: (v) => Boolean(Number(v)),
  json: <T>(v: unknown) => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T)),
  bucket: (column, bucketMs) => `(${column} / ${Math.trunc(bucketMs)})`,
  anyOf: (column) => `${column} in (select value from json_each(?))`,
  list: (values) => JSON.stringify(values),
  forUpdate: '',
};

const postgresql: Dialect = {
  name: 'postgresql',
  bind: (v) => v,
  date: (v) => (v instanceof Date ? v : new Date(v as string)),
  bool: (v) => v === true || v === 't',
  json: <T>(v: unknown) => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T)),
  bucket: (column, bucketMs) => `floor(extract(epoch from ${column}) * 1000 / ${Math.trunc(bucketMs)})::bigint`,
  anyOf: (column) => `${column} = any(?::bigint[])`,
  list: (values) => values,
  forUpdate: ' for update',
};

export const dialectOf = (name: DatabaseTarget['dialect']): Dialect => (name === 'sqlite' ? sqlite : postgresql);
