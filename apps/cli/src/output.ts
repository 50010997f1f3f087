import Table from 'cli-table3';
import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';

/** Human output goes to stdout; progress, prompts and notes to stderr. */
export const out = (text: string) => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
export const note = (text: string) => void process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
export const printJson = (value: unknown) => out(JSON.stringify(value, null, 2));

const plain = { head: [], border: [] };

/** Tables are for a person at a terminal; piped or redirected, rows are tab-separated lines without a header (as gh does). */
const isTerminal = () => Boolean(process.stdout.isTTY);

const isoTime = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const two = (n: number) => String(n).padStart(2, '0');

/** An instant as local `YYYY-MM-DD HH:MM:SS`: seconds are as precise as a person reads a table. */
export function formatTime(value: string | Date): string {
  const d = typeof value === 'string' ? new Date(value) : value;
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number')
    return Number.isInteger(value) ? String(value) : String(Math.round(value * 10_000) / 10_000);
  if (typeof value === 'object') return JSON.stringify(value);
  if (typeof value === 'string') return isoTime.test(value) ? formatTime(value) : value;
  if (typeof value === 'bigint') return value.toString();
  return '';
}

/** A TSV field: tabs and line breaks would break the row. */
const tsv = (text: string) => text.replace(/[\t\r\n]+/g, ' ');

/** The terminal's width (80 when unknown). */
const terminalWidth = () => process.stdout.columns || 80;

/**
 * Column widths (content + 2 padding) that fit `total` terminal columns including the borders: the widest column
 * gives way first, one character at a time, none below `min`.
 */
function fitWidths(natural: readonly number[], total: number, min = 5): number[] {
  const widths = [...natural];
  const budget = total - (widths.length + 1); // a border character between and around the columns
  let sum = widths.reduce((a, b) => a + b, 0);
  while (sum > budget) {
    const widest = Math.max(...widths);
    if (widest <= min) break;
    widths[widths.indexOf(widest)] = widest - 1;
    sum -= 1;
  }
  return widths;
}

/** Rows of cells as a bordered table that fits the terminal, or as TSV lines when stdout is not a terminal. */
function render(rows: string[][], head: string[]): string {
  if (!isTerminal()) return rows.map((r) => r.map(tsv).join('\t')).join('\n');
  const all = head.length ? [head, ...rows] : rows;
  const columns = Math.max(0, ...all.map((r) => r.length));
  const natural = Array.from(
    { length: columns },
    (_, i) => Math.max(1, ...all.map((r) => Math.max(...(r[i] ?? '').split('\n').map((l) => stringWidth(l))))) + 2,
  );
  const colWidths = fitWidths(natural, terminalWidth());
  // Wrapped here, on word boundaries, and a word longer than its column broken (cli-table3 would cut it with '…').
  const wrap = (r: string[]) =>
    r.map((text, i) => wrapAnsi(text, Math.max(1, colWidths[i]! - 2), { hard: true, trim: false }));
  const table = new Table({ head: wrap(head), style: plain, colWidths });
  for (const row of rows) table.push(wrap(row));
  return table.toString();
}

/** Rows as a table with the given columns (key → heading). */
export function printTable(rows: readonly Record<string, unknown>[], columns: Record<string, string>): void {
  const keys = Object.keys(columns);
  if (rows.length === 0 && !isTerminal()) return;
  out(
    render(
      rows.map((row) => keys.map((k) => cell(row[k]))),
      keys.map((k) => columns[k] ?? k),
    ),
  );
}

/** One object as a two-column table (field, value). */
export function printRecord(record: Record<string, unknown>, labels: Record<string, string> = {}): void {
  out(
    render(
      Object.entries(record).map(([key, value]) => [labels[key] ?? key, cell(value)]),
      [],
    ),
  );
}

/** The note under a page of a list: how many of how many, and the cursor of the next page when there is one. */
export function notePage(
  page: { items: unknown[]; total: number; total_exact: boolean; offset: number; next_cursor: string | null },
  noun: string,
): void {
  const total = page.total_exact ? String(page.total) : `at least ${page.total}`;
  const next = page.next_cursor ? ` Next page: --cursor ${page.next_cursor}` : '';
  note(`${page.items.length} of ${total} ${noun} (offset ${page.offset}).${next}`);
}
