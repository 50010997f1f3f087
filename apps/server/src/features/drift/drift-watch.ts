import type { DriftStatus, ServiceVersion } from '@mlapi/schemas';
import type { AppDeps } from '../../core/deps.ts';
import { sendAlert } from '../ops/alert-webhook.ts';
import { computeDrift } from './drift-report.ts';

/**
 * Every DRIFT_CHECK_SECONDS: each service's live version over the last DRIFT_WINDOW_MINUTES (from the rollups, as
 * GET …/drift computes it) sets the `mlapi_drift_psi` gauges, and a feature (or the predictions) that enters `alert`
 * is POSTed to ALERT_WEBHOOK_URL as `drift_alert` — once per entry, not at every check: it alerts again only after
 * it has left `alert`. The state is this process's: each replica watches (and alerts) on its own.
 */
export function watchDrift(deps: AppDeps, services: readonly ServiceVersion[]): () => void {
  const last = new Map<string, DriftStatus>();
  let checking = false;

  const check = async (service: ServiceVersion) => {
    const to = deps.now();
    const from = new Date(to.getTime() - deps.env.DRIFT_WINDOW_MINUTES * 60_000);
    const report = await computeDrift(deps, { service, from: from.toISOString(), to: to.toISOString() });
    const scores = [
      ...report.features.map((f) => ({ feature: f.feature, psi: f.psi, status: f.status })),
      ...(report.prediction ? [{ feature: 'prediction', ...report.prediction }] : []),
    ];
    for (const labels of (await deps.metrics.driftPsi.get()).values.map((v) => v.labels))
      if (labels.service === service) deps.metrics.driftPsi.remove(labels);
    for (const { feature, psi, status } of scores) {
      if (psi === null) continue;
      deps.metrics.driftPsi.set({ service, model_version: report.model_version, feature }, psi);
      const key = `${service}\0${report.model_version}\0${feature}`;
      const before = last.get(key);
      if (status) last.set(key, status);
      if (status === 'alert' && before !== 'alert')
        await sendAlert(deps, 'drift_alert', {
          service,
          model_version: report.model_version,
          feature,
          psi,
          threshold: report.thresholds.alert,
          from: report.from,
          to: report.to,
        });
    }
  };

  const timer = setInterval(() => {
    if (checking) return;
    checking = true;
    void Promise.all(
      services.map((service) =>
        check(service).catch((err: unknown) =>
          deps.logger.warn({ err, service }, 'the drift check failed; trying again'),
        ),
      ),
    ).finally(() => (checking = false));
  }, deps.env.DRIFT_CHECK_SECONDS * 1000).unref();
  return () => clearInterval(timer);
}
