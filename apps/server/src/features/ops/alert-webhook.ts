import type { AppDeps } from '../../core/deps.ts';

/**
 * POSTs an alert as JSON to ALERT_WEBHOOK_URL, if set (`{ event, at, … }`): waits at most 5 s, never throws. A
 * refusal, an error or a timeout is logged and counted (`mlapi_alerts_failed_total`); it is not retried.
 */
export async function sendAlert(deps: AppDeps, event: string, details: Record<string, unknown>): Promise<void> {
  const url = deps.env.ALERT_WEBHOOK_URL;
  if (!url) return;
  try {
    const reply = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ event, at: deps.now().toISOString(), ...details }),
      signal: AbortSignal.timeout(5000),
    });
    await reply.arrayBuffer();
    if (!reply.ok) throw new Error(`ALERT_WEBHOOK_URL answered ${reply.status}`);
  } catch (err) {
    deps.metrics.alertsFailed.inc();
    deps.logger.warn({ err, event }, 'the alert was not delivered to ALERT_WEBHOOK_URL');
  }
}
