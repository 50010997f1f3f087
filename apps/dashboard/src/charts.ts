import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { h } from './dom.ts';

export interface Series {
  label: string;
  values: (number | null)[];
  color: string;
  /** A second y axis on the right for series on another scale. */
  scale?: 'y' | 'y2';
}

/** From 0 (or the lowest value) to at least 1, whatever the data: an all-null series must not leave the scale undefined. */
const yRange = (_u: uPlot, min: number | null, max: number | null): uPlot.Range.MinMax => {
  const lo = Number.isFinite(min) ? Math.min(0, min!) : 0;
  const hi = Number.isFinite(max) ? Math.max(lo + 1, max!) : 1;
  return [lo, hi * 1.05];
};

const dayStart = (date: string) => Date.parse(`${date}T00:00:00Z`) / 1000;

/** A line chart over days (`YYYY-MM-DD`), drawn by uPlot on a canvas; the dates are shown as they are (no zone shift). */
export function dayChart(days: string[], series: Series[], opts: { width: number; height?: number; y2Label?: string } = { width: 560 }): HTMLElement {
  const host = h('div', { class: 'chart' });
  const hasY2 = series.some((s) => s.scale === 'y2');
  const data = [days.map(dayStart), ...series.map((s) => s.values)] as uPlot.AlignedData;
  new uPlot(
    {
      width: opts.width,
      height: opts.height ?? 220,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      scales: { x: { time: true }, y: { range: yRange }, y2: { range: yRange } },
      series: [
        {},
        ...series.map((s) => ({ label: s.label, stroke: s.color, fill: `${s.color}22`, width: 2, scale: s.scale ?? 'y', points: { show: true, size: 5 }, spanGaps: false })),
      ],
      axes: [{}, { scale: 'y' }, ...(hasY2 ? [{ scale: 'y2', side: 1, grid: { show: false }, label: opts.y2Label }] : [])],
    },
    data,
    host,
  );
  return host;
}

/** Horizontal bars as plain HTML (for a handful of values: percentiles, rates). */
export function barList(rows: { label: string; value: number | null; text: string }[], max: number): HTMLElement {
  return h(
    'div',
    { class: 'bars' },
    ...rows.map((r) =>
      h(
        'div',
        { class: 'bar-row' },
        h('span', { class: 'bar-label' }, r.label),
        h('span', { class: 'bar-track' }, h('span', { class: 'bar-fill', style: `width:${max > 0 && r.value ? Math.max(1, (r.value / max) * 100) : 0}%` })),
        h('span', { class: 'bar-value' }, r.text),
      ),
    ),
  );
}

const weekdays = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** Weekday (rows, Monday first) × hour (columns) counts as a table of shaded cells. */
export function heatmap(matrix: number[][]): HTMLElement {
  const max = Math.max(1, ...matrix.flat());
  const head = h('tr', {}, h('th', {}), ...Array.from({ length: 24 }, (_, hour) => h('th', {}, hour % 3 === 0 ? String(hour) : '')));
  const rows = matrix.map((row, d) =>
    h(
      'tr',
      {},
      h('th', {}, weekdays[d]),
      ...row.map((n, hour) =>
        h('td', { title: `${weekdays[d]} ${String(hour).padStart(2, '0')}:00 — ${n} calls`, 'data-count': n, style: `background:rgba(37,99,235,${n === 0 ? 0.04 : 0.15 + 0.85 * (n / max)})` }),
      ),
    ),
  );
  return h('table', { class: 'heatmap' }, h('thead', {}, head), h('tbody', {}, ...rows));
}
