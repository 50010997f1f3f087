import { isMlapiError } from '@mlapi/sdk';
import { SingleBar } from 'cli-progress';
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify as stringifyCsv } from 'csv-stringify/sync';
import { existsSync, readFileSync, truncateSync, appendFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { z } from 'zod';
import { UsageError, formatIssues } from './errors.ts';
import { note } from './output.ts';

type Format = 'jsonl' | 'csv';

/** How one service's batch is read, validated, sent and written. */
export interface BatchSpec<I> {
  name: string;
  /** The model's input schema (validated here first: a bad record fails alone instead of failing its chunk). */
  schema: z.ZodType<I>;
  /** A CSV record (strings) → the raw input object. */
  fromCsv(record: Record<string, string>): unknown;
  /** A JSONL value → the raw input object (v1 also takes a bare JSON string). */
  fromJson(value: unknown): unknown;
  /** The input fields a record must have: a CSV header (or the first JSONL record) without one is refused up front. */
  requiredFields: readonly string[];
  /** The output columns after `index` and `ok` (CSV header, in this order). */
  outputFields: readonly string[];
  send(items: I[]): Promise<Record<string, unknown>[]>;
}

export interface BatchOptions {
  file: string;
  out?: string | undefined;
  format?: Format | undefined;
  chunkSize: number;
  progress: boolean;
  overwrite: boolean;
  json: boolean;
}

export interface BatchSummary {
  items: number;
  ok: number;
  failed: number;
  skipped: number;
  seconds: number;
  items_per_second: number;
  out: string | null;
}

type Parsed<I> = { ok: true; value: I } | { ok: false; error: string };
type ResultRow = Record<string, unknown> & { index: number; ok: boolean };

/** Requests stay well under the server's 1 MiB default body limit. */
const maxChunkBytes = 512 * 1024;
/** Failures that no later chunk can escape: stop, and let the user resume. */
const fatalCodes = new Set([
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NETWORK_ERROR',
  'BAD_RESPONSE',
  'TOO_MANY_REQUESTS',
  'SERVICE_UNAVAILABLE',
]);

const formatOf = (path: string): Format => (extname(path).toLowerCase() === '.csv' ? 'csv' : 'jsonl');

/** The text of --file; a file that cannot be read is a usage error naming it (checked before any call to the server). */
export function readInputFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`--file: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}

const list = (names: readonly string[]) => names.join(', ');

/** A file whose header (CSV) or first record (JSONL) lacks a needed field would fail on every row: refuse it once. */
function checkFields(spec: BatchSpec<unknown>, file: string, present: readonly string[], where: string): void {
  const missing = spec.requiredFields.filter((f) => !present.includes(f));
  if (missing.length === 0) return;
  throw new UsageError(
    `--file: ${file} has no ${missing.length === 1 ? 'field' : 'fields'} ${list(missing)} in its ${where} (${spec.name} needs ${list(spec.requiredFields)})`,
  );
}

function readInputs<I>(spec: BatchSpec<I>, file: string): Parsed<I>[] {
  const text = readInputFile(file);
  const validate = (raw: unknown): Parsed<I> => {
    const result = spec.schema.safeParse(raw);
    return result.success ? { ok: true, value: result.data } : { ok: false, error: formatIssues(result.error) };
  };
  if (formatOf(file) === 'csv') {
    let records: Record<string, string>[];
    let header: string[] = [];
    try {
      records = parseCsv(text, {
        columns: (h: string[]) => (header = h),
        skip_empty_lines: true,
        bom: true,
        trim: false,
      });
    } catch (err) {
      throw new UsageError(`--file: ${file} is not valid CSV: ${(err as Error).message}`);
    }
    if (records.length > 0) checkFields(spec, file, header, 'header');
    return records.map((r) => validate(spec.fromCsv(r)));
  }
  const lines = text
    .split(/\r?\n/)
    .map((line, i) => ({ line: line.trim(), n: i + 1 }))
    .filter(({ line }) => line !== '');
  const first = firstRecord(spec, lines[0]?.line);
  if (first) checkFields(spec, file, Object.keys(first), 'first record');
  return lines.map(({ line, n }) => {
    try {
      return validate(spec.fromJson(JSON.parse(line)));
    } catch {
      return { ok: false, error: `line ${n} is not valid JSON` } as const;
    }
  });
}

/** The first JSONL record as the object it stands for (a bare string is v1's text), if it parses as one. */
function firstRecord(spec: BatchSpec<unknown>, line: string | undefined): Record<string, unknown> | undefined {
  if (line === undefined) return undefined;
  try {
    const value = spec.fromJson(JSON.parse(line));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The built-in services' result fields, to name the service whose results a file holds. */
const knownOutputs: Record<string, readonly string[]> = { v1: ['category', 'probability'], v2: ['price'] };
const bookkeeping = new Set(['index', 'ok', 'error', 'prediction_id', 'model_version']);

/**
 * Results already in --out (a resumed run skips that many inputs); a half-written last line is cut off. Results
 * of another service (or model) are refused: appending to them would mix two services in one file.
 */
function existingResults(path: string, format: Format, spec: BatchSpec<unknown>): number {
  if (!existsSync(path)) return 0;
  const text = readFileSync(path, 'utf8');
  const end = text.lastIndexOf('\n') + 1;
  let fields: string[] | undefined; // the result fields found in the file (CSV header, or the first successful JSONL result)
  let count: number;
  const complete = text.slice(0, end);
  if (format === 'jsonl') {
    const rows = complete.split('\n').filter((l) => l.trim() !== '');
    count = rows.length;
    for (const row of rows) {
      try {
        const value = JSON.parse(row) as Record<string, unknown>;
        if (value['ok'] === true) {
          fields = Object.keys(value);
          break;
        }
      } catch {
        throw new UsageError(
          `--out ${path} is not a file of results (a line is not JSON): use another --out, or --overwrite to replace it`,
        );
      }
    }
  } else if (complete.trim() === '') count = 0;
  else {
    let header: string[] = [];
    count = parseCsv<unknown>(complete, { columns: (h: string[]) => (header = h), skip_empty_lines: true }).length;
    fields = header;
  }
  if (fields) {
    const found = fields.filter((f) => !bookkeeping.has(f));
    const wanted = spec.outputFields.filter((f) => !bookkeeping.has(f));
    if (found.join() !== wanted.join()) {
      const service = Object.entries(knownOutputs).find(([, outs]) => outs.join() === found.join())?.[0];
      const what =
        service && service !== spec.name
          ? `${service} results (${list(found)})`
          : `results of another model (${list(found)})`;
      throw new UsageError(
        `--out ${path} holds ${what}, not ${spec.name}'s (${list(wanted)}): use another --out, or --overwrite to replace them`,
      );
    }
  }
  if (end < text.length) truncateSync(path, Buffer.byteLength(complete));
  return count;
}

class Progress {
  private bar: SingleBar | undefined;
  constructor(
    private readonly name: string,
    private readonly total: number,
    start: number,
    private readonly enabled: boolean,
  ) {
    if (!enabled) return;
    if (process.stderr.isTTY) {
      this.bar = new SingleBar({
        stream: process.stderr,
        format: `${name} [{bar}] {value}/{total} items | {percentage}% | ETA {eta_formatted}`,
        hideCursor: true,
        clearOnComplete: false,
      });
      this.bar.start(total, start);
    } else note(`${name}: ${start}/${total} items`);
  }
  update(done: number) {
    if (!this.enabled) return;
    if (this.bar) this.bar.update(done);
    else note(`${this.name}: ${done}/${this.total} items (${Math.round((done / Math.max(this.total, 1)) * 100)}%)`);
  }
  stop() {
    this.bar?.stop();
  }
}

/** Chunks of at most `size` items and about `maxChunkBytes` of JSON. */
function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const b = JSON.stringify(item).length + 1;
    if (current.length > 0 && (current.length >= size || bytes + b > maxChunkBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += b;
  }
  if (current.length) chunks.push(current);
  return chunks;
}

/**
 * Predicts every record of `--file` through the batch endpoint, in order, writing one result line per input to
 * stdout or `--out`. With `--out`, a rerun resumes: the results already there are kept and their inputs skipped.
 */
export async function runBatch<I>(spec: BatchSpec<I>, opts: BatchOptions): Promise<BatchSummary> {
  const inputs = readInputs(spec, opts.file);
  const format: Format = opts.format ?? (opts.out ? formatOf(opts.out) : 'jsonl');
  if (opts.out && opts.overwrite && existsSync(opts.out)) truncateSync(opts.out, 0);
  const skipped = opts.out ? existingResults(opts.out, format, spec) : 0;
  if (skipped > inputs.length)
    throw new UsageError(
      `--out ${opts.out} already holds ${skipped} results but ${opts.file} has only ${inputs.length} inputs: use another --out or --overwrite`,
    );
  if (skipped > 0)
    note(`resuming: ${opts.out} already holds ${skipped} results; skipping the first ${skipped} inputs and appending`);

  const columns = ['index', 'ok', ...spec.outputFields, 'error'];
  let headerNeeded = format === 'csv' && skipped === 0;
  const write = (rows: ResultRow[]) => {
    let text: string;
    if (format === 'jsonl') text = rows.map((r) => JSON.stringify(r) + '\n').join('');
    else {
      text = stringifyCsv(rows, { header: headerNeeded, columns, cast: { boolean: (b) => String(b) } });
      headerNeeded = false;
    }
    if (opts.out) appendFileSync(opts.out, text);
    else process.stdout.write(text);
  };

  const started = performance.now();
  const summary = { items: 0, ok: 0, failed: 0 };
  const progress = new Progress(`predict ${spec.name}`, inputs.length, skipped, opts.progress);
  const finish = (): BatchSummary => {
    progress.stop();
    const seconds = (performance.now() - started) / 1000;
    return {
      ...summary,
      skipped,
      seconds: Math.round(seconds * 1000) / 1000,
      items_per_second: seconds > 0 ? Math.round((summary.items / seconds) * 10) / 10 : 0,
      out: opts.out ?? null,
    };
  };

  /** Sends one chunk; a 413 splits it in halves (down to single items). */
  const predict = async (entries: { index: number; value: I }[]): Promise<ResultRow[]> => {
    try {
      const outputs = await spec.send(entries.map((e) => e.value));
      return entries.map((e, i) => ({ index: e.index, ok: true, ...outputs[i] }));
    } catch (err) {
      if (isMlapiError(err) && fatalCodes.has(err.code)) throw err;
      if (isMlapiError(err) && err.code === 'PAYLOAD_TOO_LARGE' && entries.length > 1) {
        const half = Math.ceil(entries.length / 2);
        return [...(await predict(entries.slice(0, half))), ...(await predict(entries.slice(half)))];
      }
      const message = err instanceof Error ? err.message : String(err);
      return entries.map((e) => ({ index: e.index, ok: false, error: message }));
    }
  };

  // Ctrl-C: every finished chunk is already written (synchronously, whole lines), so the run resumes from there.
  const onInterrupt = () => {
    progress.stop();
    const done = skipped + summary.items;
    note(
      `interrupted at ${done}/${inputs.length}` +
        (opts.out
          ? ' — run the same command again to resume'
          : ' — with --out <file>, running the same command again would resume'),
    );
    process.exit(130);
  };
  process.once('SIGINT', onInterrupt);

  const pending = inputs.map((p, index) => ({ index, p })).slice(skipped);
  try {
    for (const group of chunk(pending, opts.chunkSize)) {
      const valid = group.flatMap(({ index, p }) => (p.ok ? [{ index, value: p.value }] : []));
      const predicted = valid.length ? await predict(valid) : [];
      const byIndex = new Map(predicted.map((r) => [r.index, r]));
      const rows = group.map(({ index, p }): ResultRow =>
        p.ok ? byIndex.get(index)! : { index, ok: false, error: p.error },
      );
      write(rows);
      summary.items += rows.length;
      for (const r of rows) summary[r.ok ? 'ok' : 'failed'] += 1;
      progress.update(skipped + summary.items);
    }
  } catch (err) {
    const partial = finish();
    note(
      `stopped after ${partial.items} of ${inputs.length - skipped} items.${opts.out ? ' Run the same command again to resume.' : ''}`,
    );
    throw err;
  } finally {
    process.removeListener('SIGINT', onInterrupt);
  }
  return finish();
}
