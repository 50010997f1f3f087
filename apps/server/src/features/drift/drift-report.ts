import { snapWindow, type DriftCount } from '@mlapi/db';
import type { DriftReference, ReferenceBins } from '@mlapi/ml';
import type { DriftFeature, DriftOutput, DriftQuery } from '@mlapi/schemas';
import { TRPCError } from '@trpc/server';
import type { AppDeps } from '../../core/deps.ts';
import { predictionFeature } from './drift-binning.ts';
import { referenceOf } from './drift-reference.ts';
import { driftStatus, psi, worstStatus, type DriftThresholds } from './psi.ts';

const dayMs = 24 * 60 * 60 * 1000;

/** A quantity's served counts per bin (bins past the reference's are folded into the last), total and sum. */
function served(counts: readonly DriftCount[], feature: string, bins: number) {
  const perBin = Array<number>(bins).fill(0);
  let n = 0;
  let sum = 0;
  for (const c of counts) {
    if (c.feature !== feature) continue;
    perBin[Math.min(Math.max(c.bin, 0), bins - 1)]! += c.count;
    n += c.count;
    sum += c.valueSum;
  }
  return { shares: perBin.map((c) => (n === 0 ? 0 : c / n)), n, sum };
}

function featureDrift(name: string, bins: ReferenceBins, counts: readonly DriftCount[], t: DriftThresholds) {
  const s = served(counts, name, bins.shares.length);
  const value = s.n === 0 ? null : psi(bins.shares, s.shares);
  return {
    feature: name,
    psi: value,
    status: value === null ? null : driftStatus(value, t),
    n: s.n,
    reference_mean: bins.mean,
    served_mean: s.n === 0 ? null : s.sum / s.n,
    bins: { edges: bins.edges, reference: bins.shares, served: s.shares },
  } satisfies DriftFeature;
}

function predictionDrift(reference: DriftReference, counts: readonly DriftCount[], t: DriftThresholds) {
  const p = reference.prediction;
  const s = served(counts, predictionFeature, p.shares.length);
  const value = s.n === 0 ? null : psi(p.shares, s.shares);
  return {
    psi: value,
    status: value === null ? null : driftStatus(value, t),
    n: s.n,
    labels: 'labels' in p ? p.labels : null,
    reference: p.shares,
    served: s.shares,
    edges: 'edges' in p ? p.edges : null,
  };
}

function textDrift(reference: DriftReference, counts: readonly DriftCount[]) {
  if (!reference.text) return null;
  const total = (feature: string) =>
    counts
      .filter((c) => c.feature === feature)
      .reduce((a, c) => ({ n: a.n + c.count, sum: a.sum + c.valueSum }), {
        n: 0,
        sum: 0,
      });
  const tokens = total('tokens');
  const oov = total('oov_tokens');
  return {
    oov_rate: { reference: reference.text.oov_rate, served: tokens.sum > 0 && oov.n > 0 ? oov.sum / tokens.sum : null },
    mean_tokens: { reference: reference.text.mean_tokens, served: tokens.n > 0 ? tokens.sum / tokens.n : null },
  };
}

/**
 * Feature names in the order of the card's `data.features` (the input's order), the rest after them by name: a card
 * stored as PostgreSQL jsonb comes back with its object keys reordered.
 */
function inCardOrder(card: Record<string, unknown> | null, names: readonly string[]): string[] {
  const data = card?.data as { features?: unknown } | undefined;
  const order = Array.isArray(data?.features) ? data.features.map(String) : [];
  const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
  return [...names].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * One model version's served inputs and predictions over a window compared with its card's training distribution:
 * PSI per feature and of the predictions, and for text the out-of-vocabulary rate and length. Reads drift_rollups
 * only (written with the call log), never the raw rows.
 */
export async function computeDrift(deps: AppDeps, q: DriftQuery): Promise<DriftOutput> {
  const version = q.version ?? deps.models.current(q.service).version;
  const record = await deps.data.modelRegistry.version(q.service, version);
  if (!record) throw new TRPCError({ code: 'NOT_FOUND', message: `${q.service} has no model version ${version}` });
  const to = q.to ? new Date(q.to) : deps.now();
  const window = snapWindow(q.from ? new Date(q.from) : new Date(to.getTime() - dayMs), to);
  const thresholds = { warn: deps.env.DRIFT_PSI_WARN, alert: deps.env.DRIFT_PSI_ALERT };
  // An ONNX version's stored card is its manifest.json, whose `card` holds the reference (if it gives one).
  const manifestCard = record.card?.card;
  const reference =
    referenceOf(record.card) ??
    (manifestCard && typeof manifestCard === 'object' ? referenceOf(manifestCard as Record<string, unknown>) : null);
  const counts = reference
    ? await deps.data.drift.totals({
        service: q.service,
        modelVersion: version,
        firstBucket: window.first,
        endBucket: window.end,
      })
    : [];
  const features = reference
    ? inCardOrder(record.card, Object.keys(reference.features))
        .filter((name) => name !== predictionFeature)
        .map((name) => featureDrift(name, reference.features[name]!, counts, thresholds))
    : [];
  return {
    service: q.service,
    model_version: version,
    from: window.from.toISOString(),
    to: window.to.toISOString(),
    thresholds,
    status: worstStatus(features.map((f) => f.status)),
    has_reference: reference !== null,
    features,
    prediction: reference ? predictionDrift(reference, counts, thresholds) : null,
    text: reference ? textDrift(reference, counts) : null,
  };
}
