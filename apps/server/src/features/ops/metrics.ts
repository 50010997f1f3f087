import type { AuthReadStats } from '@mlapi/db';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The server's Prometheus metrics, in a registry of its own (one per server, so tests can run several). */
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'mlapi_http_requests_total',
    help: 'HTTP requests by route, method and status.',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'mlapi_http_request_duration_seconds',
    help: 'HTTP request latency by route and method.',
    labelNames: ['route', 'method'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly predictions = new Counter({
    name: 'mlapi_predictions_total',
    help: 'Model service calls by service, model version and outcome (success | failure).',
    labelNames: ['service', 'model_version', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly loginFailures = new Counter({
    name: 'mlapi_login_failures_total',
    help: 'Refused password checks: logins (unknown user or wrong password) and wrong current passwords of a password change.',
    registers: [this.registry],
  });

  readonly rolloutVerdicts = new Counter({
    name: 'mlapi_rollout_verdicts_total',
    help: 'Rollouts ended by their guard, by service and outcome (auto_rolled_back | auto_promoted).',
    labelNames: ['service', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly alertsFailed = new Counter({
    name: 'mlapi_alerts_failed_total',
    help: 'Alerts ALERT_WEBHOOK_URL did not accept (an error, a timeout or a non-2xx reply).',
    registers: [this.registry],
  });

  readonly shadowPredictions = new Counter({
    name: 'mlapi_shadow_predictions_total',
    help: "Predictions a shadow rollout's candidate made off the reply path, by service and outcome (success | failure).",
    labelNames: ['service', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly shadowDropped = new Counter({
    name: 'mlapi_shadow_dropped_total',
    help: 'Shadow predictions not made or not stored: queue_full (SHADOW_QUEUE_MAX calls were waiting) or write_failed.',
    labelNames: ['service', 'reason'] as const,
    registers: [this.registry],
  });

  readonly driftPsi = new Gauge({
    name: 'mlapi_drift_psi',
    help: "PSI of the live model version's served inputs (and `prediction`) against its card's training distribution, over the last DRIFT_WINDOW_MINUTES; recomputed every DRIFT_CHECK_SECONDS.",
    labelNames: ['service', 'model_version', 'feature'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'mlapi_' });
  }

  /** Calls waiting for a shadow candidate (or for their shadow predictions to be written). */
  observeShadowBacklog(backlog: () => number): void {
    new Gauge({
      name: 'mlapi_shadow_backlog',
      help: 'Calls waiting for a shadow candidate or for their shadow predictions to be written (at most SHADOW_QUEUE_MAX).',
      registers: [this.registry],
      collect() {
        this.set(backlog());
      },
    });
  }

  /** The call log's group commits since start and the calls they wrote (calls ÷ commits: the batch size). */
  observeCallLog(stats: { readonly transactions: number; readonly calls: number }): void {
    new Gauge({
      name: 'mlapi_call_log_writes',
      help: "The call log's group commits since start (commits; one statement each on PostgreSQL) and the calls they stored (calls); calls per commit is the batch size.",
      labelNames: ['count'] as const,
      registers: [this.registry],
      collect() {
        this.set({ count: 'commits' }, stats.transactions);
        this.set({ count: 'calls' }, stats.calls);
      },
    });
  }

  /** The cache of what authorization reads: how it answered, and whether it is on (its change feed live). */
  observeAuthReads(stats: AuthReadStats, live: () => boolean): void {
    new Gauge({
      name: 'mlapi_auth_cache_reads',
      help: 'Authorization reads since start: hit (from the cache), miss (read and cached), read_through (cache off).',
      labelNames: ['result'] as const,
      registers: [this.registry],
      collect() {
        this.set({ result: 'hit' }, stats.hits);
        this.set({ result: 'miss' }, stats.misses);
        this.set({ result: 'read_through' }, stats.readThrough);
      },
    });
    new Gauge({
      name: 'mlapi_auth_cache_live',
      help: '1 while the cache of what authorization reads is on (its change feed is live), 0 while it reads through.',
      registers: [this.registry],
      collect() {
        this.set(live() ? 1 : 0);
      },
    });
  }
}
