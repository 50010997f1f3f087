import { JsonType, ReferenceKind, type EntityMetadata, type EntityProperty } from '@mikro-orm/core';
import type { DriverSql, RawRow, RunInTransaction } from './driver-sql.ts';
import type { Orm } from './orm.ts';

/**
 * Entity rows without the unit of work, for the hot paths: the column names, types and the raw-row mapping all
 * come from the entities' own metadata (so a column added to an entity is read and written here too).
 */

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** An entity by name, or its schema (what `defineEntity` returns). */
export type EntityRef = string | { meta: { className: string } };

function metadata(orm: Orm, entity: EntityRef): EntityMetadata {
  const name = typeof entity === 'string' ? entity : entity.meta.className;
  const meta = orm.getMetadata().find(name);
  if (!meta) throw new Error(`unknown entity ${name}`);
  return meta;
}

const columnProps = (meta: EntityMetadata) =>
  meta.props.filter(
    (p) =>
      (p.kind === ReferenceKind.SCALAR || p.kind === ReferenceKind.MANY_TO_ONE) &&
      p.fieldNames?.length === 1 &&
      p.persist !== false,
  );

/** `"table"` and every column of an entity, quoted, ready for `select ${columns} from ${table}`. */
export function entityColumns(orm: Orm, entity: EntityRef): { table: string; columns: string } {
  const meta = metadata(orm, entity);
  return {
    table: quote(meta.tableName),
    columns: columnProps(meta)
      .map((p) => quote(p.fieldNames[0]!))
      .join(', '),
  };
}

/** A raw row as entity data (property names, booleans, dates), through MikroORM's own compiled result mapper. */
export function entityData<T>(orm: Orm, entity: EntityRef, row: RawRow): T {
  return orm.em.getComparator().mapResult(metadata(orm, entity).className, row as never) as T;
}

interface Column {
  key: string;
  sql: string;
  convert: (v: unknown) => unknown;
}

const isJson = (p: EntityProperty) => p.customType instanceof JsonType;

function insertColumns(meta: EntityMetadata, keys: string[], sql: DriverSql): Column[] {
  return keys.map((key) => {
    const prop = meta.properties[key] as EntityProperty | undefined;
    if (!prop || !columnProps(meta).includes(prop)) throw new Error(`${meta.className}.${key} is not a column`);
    const convert =
      prop.kind === ReferenceKind.MANY_TO_ONE
        ? (v: unknown) => (v !== null && typeof v === 'object' ? (v as { id: unknown }).id : (v ?? null))
        : isJson(prop)
          ? (v: unknown) => (v == null ? null : JSON.stringify(v))
          : // Other custom types (double) bind as their JS value.
            (v: unknown) => (v === undefined ? null : sql.value(v));
    return { key, sql: quote(prop.fieldNames[0]!), convert };
  });
}

/** Parameters per statement at most (PostgreSQL allows 65,535; SQLite 32,766). */
const maxParams = 30_000;
/** Rows per statement: a long run is cut into these sizes, so each entity has a handful of statement texts to cache. */
const chunkSizes = [256, 64, 16, 4, 1];

interface InsertPlan {
  columns: Column[];
  /** Properties the rows leave out that have an `onCreate` value. */
  created: EntityProperty[];
  statements: Map<number, string>;
  sizes: number[];
}
const plans = new WeakMap<EntityMetadata, Map<string, InsertPlan>>();

function insertPlan(meta: EntityMetadata, sql: DriverSql, given: string[]): InsertPlan {
  let byKeys = plans.get(meta);
  if (!byKeys) plans.set(meta, (byKeys = new Map<string, InsertPlan>()));
  const signature = `${sql.dialect}:${given.join(',')}`;
  let plan = byKeys.get(signature);
  if (plan) return plan;
  // The numbered part of the key (a log table's key also holds its partition key, a column the rows give).
  const numbered = meta.getPrimaryProps().filter((p) => p.autoincrement);
  if (numbered.length !== 1) throw new Error(`${meta.className}: insertRows needs one autoincrement key column`);
  const created = columnProps(meta).filter((p) => p.onCreate && !given.includes(p.name));
  const columns = insertColumns(meta, [...given, ...created.map((p) => p.name)], sql);
  const head = `insert into ${quote(meta.tableName)} (${columns.map((c) => c.sql).join(', ')}) values `;
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const returning = ` returning ${quote(numbered[0]!.fieldNames[0]!)} as id`;
  const sizes = chunkSizes.filter((n) => n === 1 || n * columns.length <= maxParams);
  const statements = new Map(sizes.map((n) => [n, head + Array(n).fill(tuple).join(', ') + returning]));
  byKeys.set(signature, (plan = { columns, created, statements, sizes }));
  return plan;
}

/** Lone UTF-16 surrogates: the driver sends them as U+FFFD, which a JSON escape of one would not become. */
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * A scalar as JSON carries it to a PostgreSQL column, stored as binding it would store it: a non-finite double as
 * the text float8 reads (JSON has none), a string with a lone surrogate as the driver would encode it.
 */
export const jsonScalar = (v: unknown): unknown =>
  v === undefined
    ? null
    : typeof v === 'string'
      ? v.replace(loneSurrogate, '\ufffd')
      : (typeof v === 'number' && !Number.isFinite(v)) || typeof v === 'bigint'
        ? String(v)
        : v;

/** Rows of one entity as one JSON parameter: its columns (unquoted, in order) and the rows' JSON text. */
export interface JsonRowPlan {
  columns: readonly string[];
  json(rows: readonly object[]): string;
}

/**
 * Rows of one entity as one JSON parameter for PostgreSQL's `json_populate_recordset(null::table, ?::json)`: the
 * columns are the properties named (a row leaving one out gives null) plus those with an `onCreate` value, named and
 * converted from the entity's metadata as {@link insertRows} does. A JSON column's value goes in as nested JSON
 * (stored as it is), a date as its ISO instant, a double as its shortest round-trip text (exact); the keys are fixed,
 * so one statement text serves any number of rows.
 */
export function entityJsonRows(orm: Orm, entity: EntityRef, keys: readonly string[]): JsonRowPlan {
  const meta = metadata(orm, entity);
  const props = keys.map((key) => {
    const prop = meta.properties[key] as EntityProperty | undefined;
    if (!prop || !columnProps(meta).includes(prop)) throw new Error(`${meta.className}.${key} is not a column`);
    return prop;
  });
  const created = columnProps(meta).filter((p) => p.onCreate && !keys.includes(p.name));
  const columns = [...props, ...created].map((p) => p.fieldNames[0]!);
  const convert = props.map((p) =>
    p.kind === ReferenceKind.MANY_TO_ONE
      ? (v: unknown) => (v !== null && typeof v === 'object' ? (v as { id: unknown }).id : (v ?? null))
      : isJson(p)
        ? (v: unknown) => v ?? null
        : jsonScalar,
  );
  return {
    columns,
    json(rows) {
      const out = rows.map((row) => {
        const r = row as Record<string, unknown>;
        const o: Record<string, unknown> = {};
        for (let i = 0; i < props.length; i++) o[columns[i]!] = convert[i]!(r[props[i]!.name]);
        for (let i = 0; i < created.length; i++)
          o[columns[props.length + i]!] = jsonScalar(created[i]!.onCreate!(row, orm.em));
        return o;
      });
      return JSON.stringify(out);
    },
  };
}

/**
 * Inserts rows of one entity inside a transaction and returns their ids, in row order. Each row gives the columns
 * by property name (relations by id); a property it leaves out gets its `onCreate` value, else the column default.
 * Rows go in multi-row statements of a few fixed sizes (each prepared once and cached). The ids are read back
 * sorted: an autoincrement key hands out ascending ids in the order one statement inserts its VALUES, whatever
 * order RETURNING lists them in.
 */
export async function insertRows(
  orm: Orm,
  sql: DriverSql,
  run: RunInTransaction,
  entity: EntityRef,
  rows: object[],
): Promise<number[]> {
  if (rows.length === 0) return [];
  const meta = metadata(orm, entity);
  const given = new Set<string>();
  for (const row of rows) for (const key in row) given.add(key);
  const { columns, created, statements, sizes } = insertPlan(meta, sql, [...given]);
  const ids: number[] = [];
  let start = 0;
  for (const size of sizes) {
    for (; rows.length - start >= size; start += size) {
      const params: unknown[] = [];
      for (let r = start; r < start + size; r++) {
        const row = rows[r] as Record<string, unknown>;
        for (let i = 0; i < columns.length; i++) {
          const c = columns[i]!;
          params.push(c.convert(i < given.size ? row[c.key] : created[i - given.size]!.onCreate!(row, orm.em)));
        }
      }
      const out = await run(statements.get(size)!, params);
      if (out.length !== size)
        throw new Error(`insert into ${meta.tableName} returned ${out.length} ids for ${size} rows`);
      const chunk = out.map((o) => Number(o.id)).sort((a, b) => a - b);
      for (const id of chunk) ids.push(id);
    }
  }
  return ids;
}
