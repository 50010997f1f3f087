import type { DriftStatus } from '@mlapi/schemas';

/**
 * Shares below this count as this in the PSI: a bin empty on one side would otherwise give ln(0) (an infinite PSI
 * for one empty bin). With 1e-4 a bin holding 10 % of the reference and nothing served adds 0.1 · ln(1000) ≈ 0.69.
 */
const psiEpsilon = 1e-4;

/** Population stability index of `served` against `reference` (shares per bin, same bins). */
export function psi(reference: readonly number[], served: readonly number[]): number {
  let sum = 0;
  reference.forEach((r, i) => {
    const e = Math.max(r, psiEpsilon);
    const a = Math.max(served[i] ?? 0, psiEpsilon);
    sum += (a - e) * Math.log(a / e);
  });
  return sum;
}

export interface DriftThresholds {
  warn: number;
  alert: number;
}

export const driftStatus = (value: number, t: DriftThresholds): DriftStatus =>
  value >= t.alert ? 'alert' : value >= t.warn ? 'warn' : 'ok';

const rank: Record<DriftStatus, number> = { ok: 0, warn: 1, alert: 2 };

/** The worse of statuses (ok for none). */
export const worstStatus = (statuses: readonly (DriftStatus | null)[]): DriftStatus =>
  statuses.reduce<DriftStatus>((w, s) => (s !== null && rank[s] > rank[w] ? s : w), 'ok');
