import type { DriftOutput, ServiceVersion } from '@mlapi/sdk';
import { timeChart, type Series } from './charts.ts';
import { fmt, h } from './dom.ts';
import { buckets, type TimeWindow } from './model-metrics.ts';
import { overTimeToggle } from './over-time-toggle.ts';
import { client } from './session.ts';

/** Enough distinct colours for v2's 12 features and the predictions. */
const palette = [
  '#2563eb',
  '#dc2626',
  '#16a34a',
  '#9333ea',
  '#ea580c',
  '#0891b2',
  '#ca8a04',
  '#db2777',
  '#4b5563',
  '#65a30d',
  '#7c3aed',
  '#0d9488',
  '#111827',
];

/** The whole window's verdict: one line per feature (PSI, status, predictions served). */
function statusTable(d: DriftOutput): HTMLElement {
  const rows = [
    ...d.features.map((f) => ({ name: f.feature, psi: f.psi, status: f.status, n: f.n })),
    ...(d.prediction ? [{ name: 'prediction', ...d.prediction }] : []),
  ];
  return h(
    'table',
    { class: 'drift-table' },
    h('thead', {}, h('tr', {}, h('th', {}, 'feature'), h('th', {}, 'PSI'), h('th', {}, 'status'), h('th', {}, 'n'))),
    h(
      'tbody',
      {},
      ...rows.map((r) =>
        h(
          'tr',
          { 'data-feature': r.name, 'data-status': r.status ?? 'none' },
          h('td', {}, r.name),
          h('td', {}, fmt.num(r.psi, 3)),
          h('td', { class: `drift-${r.status ?? 'none'}` }, r.status ?? '—'),
          h('td', {}, fmt.int(r.n)),
        ),
      ),
    ),
  );
}

/**
 * PSI per feature over time: one drift call per bucket of the window (as the model metrics' per-day charts), made
 * in the same tick so that they share one HTTP request; asked only when the admin opens the chart.
 */
async function driftOverTime(service: ServiceVersion, range: TimeWindow, version: string): Promise<HTMLElement> {
  const { days, buckets: list } = buckets(range);
  const replies = await Promise.all(
    list.map((b) => client.models.drift.query({ service, version, from: b.from, to: b.to })),
  );
  const names = replies[0] ? [...replies[0].features.map((f) => f.feature), 'prediction'] : [];
  const psiOf = (d: DriftOutput, name: string) =>
    name === 'prediction' ? (d.prediction?.psi ?? null) : (d.features.find((f) => f.feature === name)?.psi ?? null);
  const series: Series[] = names.map((name, i) => ({
    label: name,
    values: replies.map((d) => psiOf(d, name)),
    color: palette[i % palette.length]!,
  }));
  const any = series.some((s) => s.values.some((v) => v !== null));
  return h(
    'div',
    { class: 'per-day', 'data-service': service },
    h('h4', {}, `PSI per ${days === 1 ? 'UTC day' : `${days} UTC days`}, model version ${version}`),
    any
      ? timeChart(
          list.map((b) => b.x),
          series,
          { yLabel: 'PSI' },
        )
      : h('p', { class: 'empty' }, 'no predictions in this window'),
  );
}

/** One service's drift block: the window's statuses, and the chart over time behind a toggle. */
function serviceBlock(d: DriftOutput, range: TimeWindow): HTMLElement {
  const block = h(
    'div',
    { class: 'metrics-service', id: `drift-${d.service}` },
    h('h3', {}, `${d.service} ${d.model_version}: ${d.status}`),
  );
  if (!d.has_reference) {
    block.append(h('p', { class: 'empty' }, 'this version’s card has no reference bins'));
    return block;
  }
  block.append(
    statusTable(d),
    h('p', { class: 'note' }, `PSI warn from ${d.thresholds.warn}, alert from ${d.thresholds.alert}`),
  );
  block.append(overTimeToggle(() => driftOverTime(d.service, range, d.model_version)));
  return block;
}

/** Drift of each shown service's live version over the dashboard's window (GET /admin/models/{service}/drift). */
export async function driftSection(service: ServiceVersion | '', range: TimeWindow): Promise<HTMLElement> {
  const shown: ServiceVersion[] = service ? [service] : ['v1', 'v2'];
  const replies = await Promise.all(
    shown.map((s) => client.models.drift.query({ service: s, from: range.from, to: range.to })),
  );
  return h(
    'section',
    { class: 'card wide', id: 'drift' },
    h('h2', {}, 'Drift: served inputs against the training data'),
    h('div', { class: 'metrics-grid' }, ...replies.map((d) => serviceBlock(d, range))),
  );
}
