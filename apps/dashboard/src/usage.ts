import type { ServiceVersion, UsageOutput } from '@mlapi/sdk';
import { barList, dayChart, heatmap } from './charts.ts';
import { fmt, h } from './dom.ts';
import type { TimeWindow } from './model-metrics.ts';
import { client } from './session.ts';

export interface UsageFilters {
  days: number;
  /** '' for every service. */
  service: ServiceVersion | '';
  tz: string;
}

const stat = (id: string, label: string, value: string) =>
  h('div', { class: 'stat', id }, h('span', { class: 'stat-value' }, value), h('span', { class: 'stat-label' }, label));

/** The usage analytics (GET /admin/analytics/usage through tRPC) as numbers, charts, a heat map and a table. */
export async function usageSections(f: UsageFilters, range: TimeWindow): Promise<HTMLElement[]> {
  const u: UsageOutput = await client.analytics.usage.query({
    ...range,
    tz: f.tz,
    ...(f.service ? { service: f.service } : {}),
  });
  // Null only for one user's usage, which this page does not ask for.
  const lat = u.latency_ms ?? { count: 0, p50: null, p95: null, p99: null, max: null };
  const days = u.per_day.map((d) => d.date);
  return [
    h(
      'section',
      { class: 'card wide stats' },
      stat('total-calls', 'calls', fmt.int(u.total)),
      stat('success-rate', 'success rate', fmt.pct(u.success_rate)),
      stat('failures', 'failures', fmt.int(u.failures)),
      stat('p50', 'latency p50', fmt.ms(lat.p50)),
      stat('p95', 'latency p95', fmt.ms(lat.p95)),
      stat('p99', 'latency p99', fmt.ms(lat.p99)),
    ),
    h(
      'section',
      { class: 'card', id: 'calls-per-day' },
      h('h2', {}, `Calls per day by service (${u.tz})`),
      u.total === 0
        ? h('p', { class: 'empty' }, 'no calls in this window')
        : dayChart(
            days,
            [
              { label: 'v1', values: u.per_day.map((d) => d.v1), color: '#2563eb' },
              { label: 'v2', values: u.per_day.map((d) => d.v2), color: '#ea580c' },
              { label: 'failed', values: u.per_day.map((d) => d.failures), color: '#dc2626' },
            ],
            { yLabel: 'calls' },
          ),
    ),
    h(
      'section',
      { class: 'card', id: 'heatmap' },
      h('h2', {}, `Calls by weekday and hour (${u.tz})`),
      h('div', { class: 'scroll' }, heatmap(u.heatmap)),
    ),
    h(
      'section',
      { class: 'card', id: 'latency' },
      h('h2', {}, `Latency of successful calls (${fmt.int(lat.count)}), nearest rank within 10 %`),
      barList(
        [
          ['p50', lat.p50],
          ['p95', lat.p95],
          ['p99', lat.p99],
          ['max', lat.max],
        ].map(([label, v]) => ({ label: String(label), value: v as number | null, text: fmt.ms(v as number | null) })),
        lat.max ?? 0,
      ),
      h('h2', {}, 'Success rate by service'),
      barList(
        u.by_service.map((s) => ({
          label: s.service,
          value: s.calls ? s.successes / s.calls : null,
          text: `${fmt.pct(s.calls ? s.successes / s.calls : null)} of ${fmt.int(s.calls)}`,
        })),
        1,
      ),
    ),
    h(
      'section',
      { class: 'card', id: 'top-users' },
      h('h2', {}, 'Top users'),
      u.top_users.length === 0
        ? h('p', {}, 'No calls by a current user in this window.')
        : h(
            'div',
            { class: 'scroll' },
            h(
              'table',
              {},
              h('thead', {}, h('tr', {}, h('th', {}, 'id'), h('th', {}, 'username'), h('th', {}, 'calls'))),
              h(
                'tbody',
                {},
                ...u.top_users.map((t) =>
                  h('tr', {}, h('td', {}, t.user_id), h('td', {}, t.username), h('td', {}, fmt.int(t.calls))),
                ),
              ),
            ),
          ),
    ),
  ];
}
