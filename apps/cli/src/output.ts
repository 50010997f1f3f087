import Table from 'cli-table3';

/** Human output goes to stdout; progress, prompts and notes to stderr. */
export const out = (text: string) => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
export const note = (text: string) => void process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
export const printJson = (value: unknown) => out(JSON.stringify(value, null, 2));

const plain = { head: [], border: [] };

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Math.round(value * 10_000) / 10_000);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Rows as an aligned table with the given columns (key → heading). */
export function printTable(rows: readonly Record<string, unknown>[], columns: Record<string, string>): void {
  const keys = Object.keys(columns);
  const table = new Table({ head: keys.map((k) => columns[k] ?? k), style: plain });
  for (const row of rows) table.push(keys.map((k) => cell(row[k])));
  out(table.toString());
}

/** One object as a two-column table (field, value). */
export function printRecord(record: Record<string, unknown>, labels: Record<string, string> = {}): void {
  const table = new Table({ style: plain });
  for (const [key, value] of Object.entries(record)) table.push({ [labels[key] ?? key]: cell(value) });
  out(table.toString());
}
