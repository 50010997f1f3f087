import type { MetricsOutput, ServiceVersion } from '@mlapi/sdk';
import { timeChart, type Series } from './charts.ts';
import { fmt, h } from './dom.ts';
import { overTimeToggle } from './over-time-toggle.ts';
import { client } from './session.ts';

type ModelMetrics = MetricsOutput['models'][number];
export interface TimeWindow {
  from: string;
  to: string;
}

const dayMs = 86_400_000;
/** Most points one per-day chart draws: longer windows group whole UTC days into buckets of k days. */
const maxBuckets = 31;

interface Bucket {
  /** UTC midnight the bucket starts on, in seconds (the chart's x). */
  x: number;
  /** The part of the window the bucket covers (the first and last day may be partial). */
  from: string;
  to: string;
}

/**
 * The window cut into whole UTC days, grouped k at a time so that there are at most `max` buckets: 7 days → 8
 * buckets of a day (the first one partial), 90 days → 31 of 3 days, a year → 31 of 12 days. Together they cover
 * the window exactly, no more.
 */
export function buckets(range: TimeWindow, max = maxBuckets): { days: number; buckets: Bucket[] } {
  const from = Date.parse(range.from);
  const to = Date.parse(range.to);
  const first = Math.floor(from / dayMs) * dayMs;
  const dates = Math.max(1, Math.ceil((to - first) / dayMs));
  const k = Math.ceil(dates / max);
  const out: Bucket[] = [];
  for (let start = first; start < to; start += k * dayMs)
    out.push({
      x: start / 1000,
      from: new Date(Math.max(from, start)).toISOString(),
      to: new Date(Math.min(to, start + k * dayMs)).toISOString(),
    });
  return { days: k, buckets: out };
}

const num = (m: ModelMetrics | undefined, key: string): number | null => {
  const v = m ? (m as Record<string, unknown>)[key] : undefined;
  return typeof v === 'number' ? v : null;
};

/** The model versions that had feedback in the window, most feedback first. */
const withFeedback = (reply: MetricsOutput) =>
  reply.models.filter((m) => m.count > 0).sort((a, b) => b.count - a.count);

interface ServiceView {
  service: ServiceVersion;
  title: string;
  stats: [key: string, label: string, format: (x: number | null) => string][];
  chart: (rows: (ModelMetrics | undefined)[]) => {
    series: Series[];
    yLabel: string;
    y2Label?: string;
    yRange?: [number, number];
  };
}

const dollars = (x: number | null) => (x === null ? '—' : `$${fmt.int(Math.round(x))}`);
const ratio = (x: number | null) => fmt.num(x, 3);

const views: Record<ServiceVersion, ServiceView> = {
  v1: {
    service: 'v1',
    title: 'v1 spam classifier',
    stats: [
      ['accuracy', 'accuracy', ratio],
      ['precision', 'precision', ratio],
      ['recall', 'recall', ratio],
      ['f1', 'F1', ratio],
    ],
    chart: (rows) => ({
      series: [
        { label: 'F1', values: rows.map((m) => num(m, 'f1')), color: '#16a34a' },
        { label: 'accuracy', values: rows.map((m) => num(m, 'accuracy')), color: '#9333ea' },
      ],
      yLabel: 'F1 / accuracy',
      yRange: [0, 1.05],
    }),
  },
  v2: {
    service: 'v2',
    title: 'v2 house prices',
    stats: [
      ['mae', 'MAE', dollars],
      ['rmse', 'RMSE', dollars],
      ['r2', 'R²', ratio],
    ],
    chart: (rows) => ({
      series: [
        { label: 'MAE ($)', values: rows.map((m) => num(m, 'mae')), color: '#dc2626' },
        { label: 'R²', values: rows.map((m) => num(m, 'r2')), color: '#2563eb', scale: 'y2' },
      ],
      yLabel: 'MAE ($)',
      y2Label: 'R²',
    }),
  },
};

const empty = () => h('p', { class: 'empty' }, 'no feedback in this window');

/** The whole window's figures of the busiest model version, each undefined one with the server's reason. */
function headline(view: ServiceView, reply: MetricsOutput): HTMLElement {
  const versions = withFeedback(reply);
  const best = versions[0];
  if (!best) return empty();
  const undefinedWhy = best.undefined_metrics;
  return h(
    'div',
    {},
    h(
      'div',
      { class: 'stats' },
      h(
        'div',
        { class: 'stat', 'data-metric': 'count' },
        h('span', { class: 'stat-value' }, fmt.int(best.count)),
        h('span', { class: 'stat-label' }, 'feedback'),
      ),
      ...view.stats.map(([key, label, format]) =>
        h(
          'div',
          { class: 'stat', 'data-metric': key, title: undefinedWhy[key] },
          h('span', { class: 'stat-value' }, format(num(best, key))),
          h('span', { class: 'stat-label' }, label),
        ),
      ),
    ),
    h(
      'p',
      { class: 'note' },
      `model version ${best.model_version}`,
      versions.length > 1
        ? `; also ${versions
            .slice(1)
            .map((m) => `${m.model_version} (${fmt.int(m.count)} feedback)`)
            .join(', ')}`
        : '',
    ),
  );
}

/**
 * The per-day chart of one service, for the model version with most feedback in the window. The server has no
 * per-day metrics: each bucket is one metrics call, so this is asked only when the admin opens the chart (all the
 * buckets of a service share one HTTP request).
 */
async function perDayChart(view: ServiceView, range: TimeWindow, version: string): Promise<HTMLElement> {
  const { days, buckets: list } = buckets(range);
  const replies = await Promise.all(
    list.map((b) => client.ml[view.service].metrics.query({ from: b.from, to: b.to, model_version: version })),
  );
  const rows = replies.map((r) => r.models.find((m) => m.model_version === version && m.count > 0));
  const spec = view.chart(rows);
  return h(
    'div',
    { class: 'per-day', 'data-service': view.service },
    h('h4', {}, `per ${days === 1 ? 'UTC day' : `${days} UTC days`}, model version ${version}`),
    rows.some((m) => m !== undefined)
      ? timeChart(
          list.map((b) => b.x),
          spec.series,
          spec,
        )
      : empty(),
  );
}

/**
 * Model metrics over the dashboard's window and service: one metrics call per shown service for the whole
 * window's figures (made in the same tick, so one HTTP request), and the per-day charts only when opened.
 */
export async function modelMetricsSection(service: ServiceVersion | '', range: TimeWindow): Promise<HTMLElement> {
  const shown = service ? [views[service]] : [views.v1, views.v2];
  const replies = await Promise.all(
    shown.map((v) => client.ml[v.service].metrics.query({ from: range.from, to: range.to })),
  );
  const blocks = shown.map((view, i) => {
    const reply = replies[i]!;
    const best = withFeedback(reply)[0];
    const block = h(
      'div',
      { class: 'metrics-service', id: `metrics-${view.service}` },
      h('h3', {}, `${view.title} (${fmt.int(best?.count ?? 0)} feedback)`),
      headline(view, reply),
    );
    if (!best) return block;
    block.append(overTimeToggle(() => perDayChart(view, range, best.model_version)));
    return block;
  });
  return h(
    'section',
    { class: 'card wide', id: 'model-metrics' },
    h('h2', {}, 'Model metrics over feedback in this window'),
    h('div', { class: 'metrics-grid' }, ...blocks),
  );
}
