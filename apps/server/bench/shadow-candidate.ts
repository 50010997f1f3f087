/**
 * The bench's shadow rollout on v2: a copy of the built-in model registered as a new version and tried as a shadow
 * (it predicts every call again, off the reply path), then stopped; and how many shadow predictions were made or
 * dropped meanwhile, from /metrics.
 */
import { adminCall } from './admin-call.ts';
import { builtInArtifacts } from '@mlapi/ml';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const version = `9.0.${Date.now() % 100_000}`;

/** Registers the copy and starts its shadow rollout. */
export async function startShadow(url: string, adminToken: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mlapi-bench-shadow-'));
  const file = builtInArtifacts.v2.card;
  const artifact = JSON.parse(readFileSync(join(fileURLToPath(builtInArtifacts.v2.dir), file), 'utf8'));
  artifact.card.version = version;
  writeFileSync(join(dir, file), JSON.stringify(artifact));
  await adminCall(url, 'POST', '/admin/models/v2/versions', adminToken, { dir });
  await adminCall(url, 'PUT', '/admin/models/v2/rollout', adminToken, { version, mode: 'shadow' });
}

/** Stops the shadow rollout; what its candidate did, for the bench's note. */
export async function stopShadow(url: string, adminToken: string): Promise<string> {
  const metrics = await (await fetch(`${url}/metrics`)).text();
  const value = (series: string) =>
    Number(
      metrics
        .split('\n')
        .find((l) => l.startsWith(`${series} `))
        ?.split(' ')[1] ?? 0,
    );
  await adminCall(url, 'POST', '/admin/models/v2/rollback', adminToken, {});
  const made = value('mlapi_shadow_predictions_total{service="v2",outcome="success"}');
  const dropped = value('mlapi_shadow_dropped_total{service="v2",reason="queue_full"}');
  return `shadow predictions made ${made}, dropped ${dropped}`;
}
