import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ModelCard } from '../model.ts';
import { defineModel } from './define-model.ts';

const card = { name: 'double', version: '1.0.0', service: 'v2' } as ModelCard;

function countingModel(options: { failFirst?: boolean; delayMs?: number } = {}) {
  const calls = { loads: 0 };
  const model = defineModel({
    name: 'double',
    version: '1.0.0',
    service: 'v2',
    inputSchema: z.object({ x: z.number().max(100) }),
    outputSchema: z.object({ y: z.number() }),
    task: 'regression',
    targetSchema: z.number(),
    async loadArtifact() {
      calls.loads++;
      await new Promise((r) => setTimeout(r, options.delayMs ?? 10));
      if (options.failFirst && calls.loads === 1) throw new Error('disk on fire');
      return { runtime: { factor: 2 }, card };
    },
    predict: (runtime, input) => ({ y: input.x * runtime.factor }),
    predictedValue: (output) => output.y,
  });
  return { model, calls };
}

describe('defineModel', () => {
  it('loads the artifact once when load() is called concurrently', async () => {
    const { model, calls } = countingModel();
    const pending = Array.from({ length: 10 }, () => model.load());
    expect(new Set(pending).size).toBe(1);
    await Promise.all(pending);
    await model.load();
    expect(calls.loads).toBe(1);
    expect(model.isLoaded()).toBe(true);
  });

  it('predicts before an explicit load by loading lazily, once', async () => {
    const { model, calls } = countingModel();
    expect(model.isLoaded()).toBe(false);
    const results = await Promise.all([model.predict({ x: 1 }), model.predict({ x: 2 })]);
    expect(results).toEqual([{ y: 2 }, { y: 4 }]);
    expect(calls.loads).toBe(1);
  });

  it('lets a failed load be retried', async () => {
    const { model, calls } = countingModel({ failFirst: true });
    await expect(model.load()).rejects.toThrow('disk on fire');
    expect(model.isLoaded()).toBe(false);
    await model.load();
    expect(model.isLoaded()).toBe(true);
    expect(calls.loads).toBe(2);
  });

  it('returns one batch result per input, in order', async () => {
    const { model } = countingModel();
    const inputs = Array.from({ length: 50 }, (_, i) => ({ x: i }));
    const outputs = await model.predictBatch(inputs);
    expect(outputs.map((o) => o.y)).toEqual(inputs.map((i) => i.x * 2));
  });

  it('validates input with the input schema', async () => {
    const { model } = countingModel();
    await expect(model.predict({ x: 1000 })).rejects.toThrow(z.ZodError);
  });

  it('rejects an artifact whose card names another model', async () => {
    const model = defineModel({
      name: 'other',
      version: '2.0.0',
      service: 'v1',
      inputSchema: z.object({}),
      outputSchema: z.object({}),
      task: 'classification',
      targetSchema: z.enum(['a', 'b']),
      loadArtifact: async () => ({ runtime: null, card }),
      predict: () => ({}),
      predictedValue: () => 0,
    });
    await expect(model.load()).rejects.toThrow(/expected v1\/other@2\.0\.0/);
  });

  it('hands out a copy of the card', async () => {
    const { model } = countingModel();
    const first = await model.card();
    first.name = 'mutated';
    expect((await model.card()).name).toBe('double');
  });
});
