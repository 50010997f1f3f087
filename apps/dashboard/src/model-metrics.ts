import type { MetricsOutput } from '@mlapi/sdk';
import { dayChart } from './charts.ts';
import { h } from './dom.ts';
import { client } from './session.ts';

const dayMs = 86_400_000;

/** The last `n` UTC days, oldest first. */
export function lastUtcDays(n: number, now = Date.now()): string[] {
  const today = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate());
  return Array.from({ length: n }, (_, i) => new Date(today - (n - 1 - i) * dayMs).toISOString().slice(0, 10));
}

/** The model version with most feedback that day, if any. */
function busiest(reply: MetricsOutput): Record<string, unknown> | null {
  const withData = reply.models.filter((m) => m.count > 0).sort((a, b) => b.count - a.count);
  return (withData[0] as Record<string, unknown> | undefined) ?? null;
}

const metric = (m: Record<string, unknown> | null, key: string) => (m && typeof m[key] === 'number' ? (m[key] as number) : null);

/** "Over time" charts of the model metrics: GET /mlservice/v{1,2}/metrics once per UTC day (batched by the SDK). */
export async function modelMetricsSection(days: number, width: number): Promise<HTMLElement> {
  const dates = lastUtcDays(Math.min(days, 31));
  const window = (d: string) => ({ from: `${d}T00:00:00Z`, to: new Date(Date.parse(`${d}T00:00:00Z`) + dayMs).toISOString() });
  const [v1, v2] = await Promise.all([
    Promise.all(dates.map((d) => client.ml.v1.metrics.query(window(d)))),
    Promise.all(dates.map((d) => client.ml.v2.metrics.query(window(d)))),
  ]);
  const v1Best = v1.map(busiest);
  const v2Best = v2.map(busiest);
  const feedback = (list: (Record<string, unknown> | null)[]) => list.reduce((s, m) => s + (metric(m, 'count') ?? 0), 0);
  return h(
    'section',
    { class: 'card wide', id: 'model-metrics' },
    h('h2', {}, `Model metrics per UTC day (last ${dates.length} days)`),
    h('div', { class: 'row' },
      h('div', {},
        h('h3', {}, `v1 spam classifier — F1 and accuracy (${feedback(v1Best)} feedback)`),
        dayChart(dates, [
          { label: 'F1', values: v1Best.map((m) => metric(m, 'f1')), color: '#16a34a' },
          { label: 'accuracy', values: v1Best.map((m) => metric(m, 'accuracy')), color: '#9333ea' },
        ], { width }),
      ),
      h('div', {},
        h('h3', {}, `v2 house prices — MAE ($) and R² (${feedback(v2Best)} feedback)`),
        dayChart(dates, [
          { label: 'MAE', values: v2Best.map((m) => metric(m, 'mae')), color: '#dc2626' },
          { label: 'R²', values: v2Best.map((m) => metric(m, 'r2')), color: '#2563eb', scale: 'y2' },
        ], { width, y2Label: 'R²' }),
      ),
    ),
  );
}
