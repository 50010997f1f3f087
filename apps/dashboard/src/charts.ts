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

export interface ChartOptions {
  height?: number;
  /** Axis titles: what the left and the right (y2) numbers are. */
  yLabel?: string;
  y2Label?: string;
  /** Fixed range of the left axis (rates: 0 to 1); otherwise from 0 (or the lowest value) to the highest. */
  yRange?: [number, number];
}

/** From 0 (or the lowest value) to at least 1, whatever the data: an all-null series must not leave the scale undefined. */
const autoRange = (_u: uPlot, min: number | null, max: number | null): uPlot.Range.MinMax => {
  const lo = Number.isFinite(min) ? Math.min(0, min!) : 0;
  const hi = Number.isFinite(max) ? Math.max(lo + 1, max!) : 1;
  return [lo, hi * 1.05];
};

/** Axis numbers short enough for the axis: 25000 → 25K, 0.75 → 0.75. */
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 2 });
const axisValues = (_u: uPlot, splits: number[]) =>
  splits.map((v) => (v === null || v === undefined ? '' : compact.format(v)));
/** Legend numbers: thousands separated, at most 3 decimals. */
const legendValue = (_u: uPlot, v: number | null) =>
  v === null || v === undefined ? '—' : v.toLocaleString('en-US', { maximumFractionDigits: 3 });
const legendDate = (_u: uPlot, ts: number | null) =>
  ts === null || ts === undefined ? '—' : new Date(ts * 1000).toISOString().slice(0, 10);

/** Half a step of x beyond the first and last point, so that a point at either end is drawn whole. */
function xRange(xs: number[]): () => uPlot.Range.MinMax {
  const step = xs.length > 1 ? xs[1]! - xs[0]! : 86_400;
  const lo = (xs[0] ?? 0) - step / 2;
  const hi = (xs[xs.length - 1] ?? 0) + step / 2;
  return () => [lo, hi];
}

/** The last x with a value in any series: the legend shows its figures until the pointer shows another. */
const lastWithData = (series: Series[]) => {
  for (let i = (series[0]?.values.length ?? 0) - 1; i >= 0; i--)
    if (series.some((s) => s.values[i] !== null && s.values[i] !== undefined)) return i;
  return null;
};

const dayStart = (date: string) => Date.parse(`${date}T00:00:00Z`) / 1000;

/**
 * A line chart over time (x in UTC seconds), drawn by uPlot on a canvas, as wide as its container: it follows the
 * window (a phone, a resized window) instead of forcing the page wider. Dates are shown in UTC as they are.
 */
export function timeChart(xs: number[], series: Series[], opts: ChartOptions = {}): HTMLElement {
  const host = h('div', {
    class: 'chart',
    role: 'img',
    'aria-label': `${series.map((s) => s.label).join(' and ')} over time`,
  });
  const hasY2 = series.some((s) => s.scale === 'y2');
  const height = opts.height ?? 220;
  const data = [xs, ...series.map((s) => s.values)] as uPlot.AlignedData;
  const fixed = opts.yRange;
  // Without the pointer over the chart, the legend shows the latest figures rather than dashes.
  const last = lastWithData(series);
  const showLatest = (u: uPlot) => {
    if (last !== null && (u.legend.idx === null || u.legend.idx === undefined)) u.setLegend({ idx: last }, false);
  };
  const plot = new uPlot(
    {
      hooks: { setLegend: [showLatest] },
      width: 480,
      height,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      scales: {
        x: { time: true, range: xRange(xs) },
        y: { range: fixed ? () => fixed : autoRange },
        y2: { range: autoRange },
      },
      series: [
        { label: 'date (UTC)', value: legendDate },
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          fill: `${s.color}22`,
          width: 2,
          scale: s.scale ?? 'y',
          points: { show: true, size: 7, fill: s.color },
          spanGaps: false,
          value: legendValue,
        })),
      ],
      axes: [
        {},
        { scale: 'y', values: axisValues, size: 52, ...(opts.yLabel ? { label: opts.yLabel, labelSize: 20 } : {}) },
        ...(hasY2
          ? [
              {
                scale: 'y2',
                side: 1,
                grid: { show: false },
                values: axisValues,
                size: 52,
                ...(opts.y2Label ? { label: opts.y2Label, labelSize: 20 } : {}),
              },
            ]
          : []),
      ],
    },
    data,
    host,
  );
  // The first observation comes once the host is laid out; later ones when the window changes width.
  let lastWidth = 0;
  new ResizeObserver(() => {
    const width = Math.floor(host.clientWidth);
    if (width > 0 && width !== lastWidth) {
      lastWidth = width;
      plot.setSize({ width, height });
    }
  }).observe(host);
  return host;
}

/** A line chart over days (`YYYY-MM-DD`). */
export function dayChart(days: string[], series: Series[], opts: ChartOptions = {}): HTMLElement {
  return timeChart(days.map(dayStart), series, opts);
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
        h(
          'span',
          { class: 'bar-track' },
          h('span', {
            class: 'bar-fill',
            style: `width:${max > 0 && r.value ? Math.max(1, (r.value / max) * 100) : 0}%`,
          }),
        ),
        h('span', { class: 'bar-value' }, r.text),
      ),
    ),
  );
}

const weekdays = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** Weekday (rows, Monday first) × hour (columns) counts as a table of shaded cells. */
export function heatmap(matrix: number[][]): HTMLElement {
  const max = Math.max(1, ...matrix.flat());
  const head = h(
    'tr',
    {},
    h('th', {}),
    ...Array.from({ length: 24 }, (_, hour) => h('th', {}, hour % 3 === 0 ? String(hour) : '')),
  );
  const rows = matrix.map((row, d) =>
    h(
      'tr',
      {},
      h('th', {}, weekdays[d]),
      ...row.map((n, hour) =>
        h('td', {
          title: `${weekdays[d]} ${String(hour).padStart(2, '0')}:00 — ${n} calls`,
          'data-count': n,
          style: `background:rgba(37,99,235,${n === 0 ? 0.04 : 0.15 + 0.85 * (n / max)})`,
        }),
      ),
    ),
  );
  return h('table', { class: 'heatmap' }, h('thead', {}, head), h('tbody', {}, ...rows));
}
