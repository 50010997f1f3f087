import type { CompareOutput, ModelVersionsOutput, ServiceVersion } from '@mlapi/sdk';
import { fmt, h, onAsync } from './dom.ts';
import { client, message } from './session.ts';

type Rollout = NonNullable<ModelVersionsOutput['rollout']>;
type Side = CompareOutput['baseline'];

const services: ServiceVersion[] = ['v1', 'v2'];
const when = (iso: string) => iso.slice(0, 16).replace('T', ' ') + ' UTC';
const outcomes: Record<string, string> = {
  promoted: 'promoted',
  rolled_back: 'rolled back',
  cancelled: 'cancelled by another promote',
  auto_rolled_back: 'rolled back by its guard',
  auto_promoted: 'promoted by its guard',
};

/** The comparison of a rollout's two versions, one row per figure. */
function comparisonTable(c: CompareOutput): HTMLElement {
  const quality = (s: Side, key: 'mae' | 'f1' | 'accuracy') => {
    const v = (s.quality as Record<string, unknown>)[key];
    return typeof v === 'number' ? v : null;
  };
  const regression = 'mae' in c.baseline.quality;
  const rows: [string, (s: Side) => string][] = [
    ['calls', (s) => fmt.int(s.calls)],
    ...(c.baseline.shadow + c.candidate.shadow > 0
      ? ([['of which shadow', (s) => fmt.int(s.shadow)]] as [string, (s: Side) => string][])
      : []),
    ['failure rate', (s) => fmt.pct(s.failure_rate)],
    ['latency p50', (s) => fmt.ms(s.latency_ms.p50)],
    ['latency p99', (s) => fmt.ms(s.latency_ms.p99)],
    ['with feedback', (s) => fmt.int(s.quality.count)],
    ...(regression
      ? ([['MAE', (s) => fmt.num(quality(s, 'mae'), 0)]] as [string, (s: Side) => string][])
      : ([
          ['F1', (s) => fmt.num(quality(s, 'f1'))],
          ['accuracy', (s) => fmt.pct(quality(s, 'accuracy'))],
        ] as [string, (s: Side) => string][])),
  ];
  return h(
    'table',
    { class: 'compare' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, ''),
        h('th', {}, `${c.baseline.version} (live)`),
        h('th', {}, `${c.candidate.version} (candidate)`),
      ),
    ),
    h(
      'tbody',
      {},
      ...rows.map(([label, of]) =>
        h('tr', {}, h('th', {}, label), h('td', {}, of(c.baseline)), h('td', {}, of(c.candidate))),
      ),
    ),
  );
}

/** Makes a button that asks `question`, runs `action`, says how it went and reloads the panel. */
type ActionButton = (
  label: string,
  name: string,
  question: string,
  action: () => Promise<string>,
  danger?: boolean,
) => HTMLButtonElement;

type Version = ModelVersionsOutput['items'][number];

/** A retrained version's evaluation gate: its verdict, the first reason under it, every reason on hover. */
function gateCell(item: Version): HTMLElement {
  const report = item.evaluation;
  if (!report) return h('td', { class: 'gate' });
  const { passed, reasons } = report.gate;
  return h(
    'td',
    { class: 'gate', title: reasons.join('\n') },
    h('span', { class: `state ${passed ? 'live' : 'failed'}` }, passed ? 'gate passed' : 'gate failed'),
    h('small', {}, ` vs ${report.live_version}: ${reasons[0] ?? ''}`),
  );
}

/** Every version of a service with its state, and a promote button where promoting it makes sense. */
function versionsTable(v: ModelVersionsOutput, actionButton: ActionButton): HTMLElement {
  const { service } = v;
  const rows = v.items.map((item) =>
    h(
      'tr',
      { 'data-version': item.version },
      h('td', {}, item.version),
      h('td', {}, h('span', { class: `state ${item.state}` }, item.state)),
      h('td', {}, item.source),
      h('td', {}, item.registered_by ?? '(server)'),
      h('td', {}, when(item.registered_at)),
      gateCell(item),
      h(
        'td',
        {},
        item.state === 'registered' || item.state === 'retired'
          ? actionButton('promote', 'promote', `Make ${service} ${item.version} live for everyone?`, async () => {
              await client.models.promote.mutate({ service, version: item.version });
              return `${service}: ${item.version} is live.`;
            })
          : null,
      ),
    ),
  );
  return h(
    'div',
    { class: 'scroll' },
    h(
      'table',
      { class: 'versions' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['version', 'state', 'source', 'registered by', 'registered', 'evaluation', ''].map((t) => h('th', {}, t)),
        ),
      ),
      h('tbody', {}, ...rows),
    ),
  );
}

/**
 * The Models panel: per service, what serves and since when, the running rollout with its comparison to the live
 * version (stop or promote it), how the last one ended, and every version with a promote button. Each action is one
 * admin call; the panel reloads after it.
 */
export async function modelsSection(): Promise<HTMLElement> {
  const status = h('p', { class: 'notice', id: 'models-status', role: 'status' });
  const say = (kind: 'success' | 'error', text: string) => {
    status.className = `notice ${kind}`;
    status.textContent = text;
  };
  const body = h('div', { class: 'models' });
  const section = h('section', { class: 'card wide', id: 'models' }, h('h2', {}, 'Models'), status, body);

  /** A button that asks first, runs `action`, says how it went and reloads the panel. */
  const actionButton = (
    label: string,
    name: string,
    question: string,
    action: () => Promise<string>,
    danger = false,
  ) => {
    const button = h('button', { type: 'button', name, class: danger ? 'danger' : undefined }, label);
    onAsync(button, 'click', async () => {
      if (!window.confirm(question)) return;
      button.disabled = true;
      try {
        say('success', await action());
      } catch (err) {
        say('error', message(err));
      }
      await load();
    });
    return button;
  };

  async function rolloutView(service: ServiceVersion, r: Rollout): Promise<HTMLElement> {
    const compared = await client.models.compare.query({ service });
    return h(
      'div',
      { class: 'rollout' },
      h(
        'p',
        {},
        `Rollout: ${r.candidate} ${r.mode === 'shadow' ? 'predicts every call unanswered (shadow)' : `answers ${r.percent ?? 0} % of users (canary)`} since ${when(r.started_at)}, judged after ${r.guard.min_samples} predictions with feedback${r.auto_promote ? ', promoted if it holds' : ''}.`,
      ),
      comparisonTable(compared),
      h(
        'p',
        { class: 'actions' },
        actionButton(
          `promote ${r.candidate}`,
          'promote-candidate',
          `Make ${service} ${r.candidate} live for everyone?`,
          async () => {
            await client.models.promote.mutate({ service, version: r.candidate });
            return `${service}: ${r.candidate} is live.`;
          },
        ),
        actionButton(
          'stop the rollout',
          'stop-rollout',
          `Stop the rollout of ${service} ${r.candidate}?`,
          async () => {
            await client.models.rollback.mutate({ service });
            return `${service}: the rollout of ${r.candidate} stopped.`;
          },
          true,
        ),
      ),
    );
  }

  async function serviceView(v: ModelVersionsOutput): Promise<HTMLElement> {
    const { service } = v;
    const since = v.history.find((d) => d.live_until === null)?.live_from;
    const last = v.rollouts.find((r) => r.ended_at !== null);
    return h(
      'div',
      { class: 'service', 'data-service': service },
      h('h3', {}, `${service}: ${v.live ?? 'nothing'} live${since ? ` since ${when(since)}` : ''}`),
      v.rollout ? await rolloutView(service, v.rollout) : null,
      last?.outcome
        ? h(
            'p',
            { class: 'last-rollout' },
            `Last rollout: ${last.candidate} ${outcomes[last.outcome] ?? last.outcome}${last.decision?.reasons.length ? ` (${last.decision.reasons.join('; ')})` : ''}.`,
          )
        : null,
      versionsTable(v, actionButton),
      // Roll back: only without a rollout (then it stops the rollout instead) and with a version to return to.
      v.rollout || !v.items.some((item) => item.state === 'retired')
        ? null
        : h(
            'p',
            { class: 'actions' },
            actionButton(
              'roll back',
              'rollback',
              `Make the version live before ${v.live ?? 'this one'} live again?`,
              async () => {
                const back = await client.models.rollback.mutate({ service });
                return `${service}: ${back.previous} → ${back.live}.`;
              },
            ),
          ),
    );
  }

  async function load() {
    const replies = await Promise.all(services.map((service) => client.models.versions.query({ service })));
    body.replaceChildren(...(await Promise.all(replies.map(serviceView))));
  }

  await load();
  return section;
}
