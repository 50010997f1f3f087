const eighths = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A horizontal bar of `value / max` of `width` cells, in unicode eighth blocks (at least a sliver when value > 0). */
function bar(value: number, max: number, width = 40): string {
  if (max <= 0 || value <= 0) return '';
  const units = Math.max(1, Math.round((value / max) * width * 8));
  return '█'.repeat(Math.floor(units / 8)) + eighths[units % 8];
}

/** Labelled bars, one a line: `label │█████▌ 12`; labels padded to the longest. */
export function barChart(rows: readonly { label: string; value: number }[], width = 40): string {
  const max = Math.max(0, ...rows.map((r) => r.value));
  const pad = Math.max(0, ...rows.map((r) => r.label.length));
  return rows.map((r) => `${r.label.padStart(pad)} │${bar(r.value, max, width)} ${r.value}`).join('\n');
}

/**
 * Runs of two or more zero rows as one row `first–last` (a month of quiet days is one line, not thirty); the
 * rows before the first and after the last non-zero row are dropped when `trim` is set.
 */
export function compressZeros(
  rows: readonly { label: string; value: number }[],
  trim = false,
): { label: string; value: number }[] {
  let start = 0;
  let end = rows.length;
  if (trim) {
    while (start < end && rows[start]!.value === 0) start++;
    while (end > start && rows[end - 1]!.value === 0) end--;
  }
  const result: { label: string; value: number }[] = [];
  for (let i = start; i < end;) {
    let j = i;
    while (j < end && rows[j]!.value === 0) j++;
    if (j - i >= 2) {
      result.push({ label: `${rows[i]!.label}–${rows[j - 1]!.label}`, value: 0 });
      i = j;
    } else {
      result.push(rows[i]!);
      i++;
    }
  }
  return result;
}
