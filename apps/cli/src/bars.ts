const eighths = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A horizontal bar of `value / max` of `width` cells, in unicode eighth blocks (at least a sliver when value > 0). */
export function bar(value: number, max: number, width = 40): string {
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
