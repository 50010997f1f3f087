import type { LoggedCall } from '../src/index.ts';

/** A seeded generator, so a failure can be replayed. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Doubles that lose digits if bound or read back carelessly. */
const doubles = [0.1 + 0.2, 5e-324, 1.7976931348623157e308, 123_456_789.123_456_79, 1 / 3, -2.5e-7, 42];
/** Inputs of every JSON shape: unicode (combining marks, astral plane, RTL), escapes, nesting, big and tiny numbers. */
const inputs: Record<string, unknown>[] = [
  { text: 'héllo "wörld" \\ \n\t ünïcødé 😀 𝄞 مرحبا e\u0301' },
  { nested: { a: [1, 2.5, -3e-12, true, null, { b: 'c' }], empty: {}, list: [] }, n: 9_007_199_254_740_991 },
  { text: '' },
  { features: Array.from({ length: 12 }, (_, i) => i / 7) },
];

/**
 * Batches as the writer hands them over: several users, both services, several hours across midnight UTC, failed
 * calls (no predictions, a model version or none), calls of many predictions (a v2 batch), unicode and doubles.
 */
export function mixedBatches(owners: readonly number[], seed: number, sizes: readonly number[]): LoggedCall[][] {
  const r = seeded(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
  const start = Date.UTC(2026, 10, 3, 22, 40, 12, 345);
  const call = (): LoggedCall => {
    const service = r() > 0.5 ? 'v2' : 'v1';
    const success = r() > 0.2;
    const at = new Date(start + Math.floor(r() * 4 * 3_600_000));
    const duration = r() > 0.3 ? 0.05 * 10 ** (r() * 4) : pick(doubles.filter((d) => d > 0 && d < 1e6));
    const predictions = !success ? 0 : r() > 0.85 ? 1 + Math.floor(r() * 120) : 1;
    const modelVersion = r() > 0.5 ? `${service}.1` : `${service}.2`;
    return {
      call: {
        serviceVersion: service,
        success,
        error: success ? null : pick(['refused', 'model failed: ünïcødé 😀', 'x'.repeat(300)]),
        owner: pick(owners),
        requestTime: at,
        completionTime: new Date(at.getTime() + Math.ceil(duration)),
        duration,
        modelVersion: !success && r() > 0.5 ? null : modelVersion,
      },
      predictions: Array.from({ length: predictions }, (_, i) => ({
        serviceVersion: service,
        modelName: service === 'v1' ? 'spam' : 'house',
        modelVersion,
        input: { ...pick(inputs), row: i },
        output: service === 'v1' ? { category: pick(['spam', 'ham']) } : { price: pick(doubles) },
        predictedValue: service === 'v2' ? pick(doubles) : null,
        predictedLabel: service === 'v1' ? pick(['spam', 'ham', 'ünï 😀']) : null,
        createdAt: at,
      })),
    };
  };
  return sizes.map((n) => Array.from({ length: n }, call));
}
