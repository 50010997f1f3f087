import { serviceVersions } from '@mlapi/schemas';
import { describe, expect, it } from 'vitest';
import { getModel, models, warmUp } from './index.ts';

describe('model registry', () => {
  it('has one model per service version', () => {
    expect(serviceVersions).toEqual(['v1', 'v2']);
    for (const s of serviceVersions) {
      expect(getModel(s)).toBe(models[s]);
      expect(models[s].service).toBe(s);
    }
    expect(models.v1.name).toBe('spam-logreg');
    expect(models.v2.name).toBe('boston-gbt');
  });

  it('warmUp loads every model and the cards match the models', async () => {
    await warmUp();
    for (const s of serviceVersions) {
      const model = getModel(s);
      expect(model.isLoaded()).toBe(true);
      const card = await model.card();
      expect([card.name, card.version, card.service]).toEqual([model.name, model.version, s]);
    }
  });

  it('describes the task and the feedback target of each model', () => {
    expect([models.v1.task, models.v1.labels, models.v1.positiveLabel]).toEqual([
      'classification',
      ['spam', 'ham'],
      'spam',
    ]);
    expect(models.v1.targetSchema.safeParse('spam').success).toBe(true);
    expect(models.v1.targetSchema.safeParse('eggs').success).toBe(false);
    expect([models.v2.task, models.v2.labels, models.v2.positiveLabel]).toEqual(['regression', undefined, undefined]);
    expect(models.v2.targetSchema.safeParse(24_000).success).toBe(true);
    expect(models.v2.targetSchema.safeParse('24k').success).toBe(false);
  });

  it('exposes the predicted value to log: label for v1, price for v2', () => {
    expect(models.v1.predictedValue({ category: 'ham', probability: 0.1 })).toBe('ham');
    expect(models.v2.predictedValue({ price: 24_000 })).toBe(24_000);
  });
});
