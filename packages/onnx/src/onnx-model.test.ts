/** Real onnxruntime on models written by @mlapi/onnx/testing: predictions against hand-computed values. */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { loadOnnxModel, type OnnxModel } from './onnx-model.ts';
import {
  writeBagOfWordsModel,
  writeLinearModel,
  writeLogisticModel,
  writeManifest,
  writeSoftmaxModel,
} from './testing.ts';
import { classificationManifest, numberFields, regressionManifest, tempDirs } from './test-helpers.ts';

const tempDir = tempDirs();
const loaded: OnnxModel[] = [];
afterAll(async () => {
  await Promise.all(loaded.map((m) => m.dispose()));
});

async function load(dir: string, options?: Parameters<typeof loadOnnxModel>[1]): Promise<OnnxModel> {
  const model = await loadOnnxModel(dir, options);
  loaded.push(model);
  return model;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const close = (actual: number, expected: number) => expect(actual).toBeCloseTo(expected, 5);

describe('regression', () => {
  // y = 0.5·a − 1.25·b + 2·c + 3 (float32-exact weights, so the sums are exact)
  const weights = [0.5, -1.25, 2];
  const bias = 3;
  const expected = (a: number, b: number, c: number) => 0.5 * a - 1.25 * b + 2 * c + 3;

  it('predicts x·w + b for one row and for a batch (one run)', async () => {
    const dir = await tempDir('linear');
    await writeLinearModel(dir, { weights, bias });
    await writeManifest(dir, regressionManifest());
    const model = await load(dir, { expectService: 'v2' });
    expect(model.isLoaded()).toBe(true);
    await model.load(); // already loaded: a no-op
    expect(await model.predict({ a: 2, b: 4, c: 1.5 })).toEqual({ price: expected(2, 4, 1.5) });
    const rows = [
      { a: 0, b: 0, c: 0 },
      { a: 1, b: 1, c: 1 },
      { a: -8, b: 0.25, c: 100 },
      { a: 3.5, b: -2, c: 0.125 },
    ];
    const out = await model.predictBatch(rows);
    expect(out).toHaveLength(4);
    out.forEach((o, i) => close(o.price as number, expected(rows[i]!.a, rows[i]!.b, rows[i]!.c)));
    expect(await model.predictBatch([])).toEqual([]);
    expect(model.predictedValue({ price: 12 })).toBe(12);
  });

  it('applies scale and offset', async () => {
    const dir = await tempDir('scaled');
    await writeLinearModel(dir, { weights, bias });
    await writeManifest(
      dir,
      regressionManifest({ output: { tensor: 'variable', field: 'price', scale: 1000, offset: -50, unit: 'USD' } }),
    );
    const model = await load(dir);
    close((await model.predict({ a: 2, b: 4, c: 1.5 })).price as number, expected(2, 4, 1.5) * 1000 - 50);
  });

  it('standardizes the packed features before the tensor, booleans and integers included', async () => {
    const dir = await tempDir('standardize');
    await writeLinearModel(dir, { weights, bias });
    await writeManifest(
      dir,
      regressionManifest({
        input: {
          tensor: 'float_input',
          fields: [
            { name: 'a', type: 'number' },
            { name: 'b', type: 'integer' },
            { name: 'c', type: 'boolean' },
          ],
          standardize: { mean: [10, 2, 0.5], std: [4, 0.5, 0.25] },
        },
      }),
    );
    const model = await load(dir);
    const { price } = await model.predict({ a: 18, b: 3, c: true });
    close(price as number, expected((18 - 10) / 4, (3 - 2) / 0.5, (1 - 0.5) / 0.25));
    const [first, second] = await model.predictBatch([
      { a: 10, b: 2, c: false },
      { a: 6, b: 1, c: true },
    ]);
    close(first!.price as number, expected(0, 0, -2));
    close(second!.price as number, expected(-1, -2, 2));
  });

  it('feeds a float64 graph with float64 data', async () => {
    const dir = await tempDir('float64');
    await writeLinearModel(dir, { weights: [0.1, 0.2, 0.3], bias: 0.7, elementType: 'float64' });
    await writeManifest(dir, regressionManifest());
    const model = await load(dir);
    expect((await model.predict({ a: 1, b: 2, c: 3 })).price).toBeCloseTo(0.1 + 0.4 + 0.9 + 0.7, 12);
  });

  it('runs a graph whose batch dimension is fixed at 1 row by row', async () => {
    const dir = await tempDir('batch1');
    await writeLinearModel(dir, { weights, bias, batch: 1 });
    await writeManifest(dir, regressionManifest());
    const model = await load(dir);
    const out = await model.predictBatch([
      { a: 1, b: 0, c: 0 },
      { a: 0, b: 1, c: 0 },
      { a: 0, b: 0, c: 1 },
    ]);
    expect(out.map((o) => o.price)).toEqual([expected(1, 0, 0), expected(0, 1, 0), expected(0, 0, 1)]);
  });

  it('validates with inputSchema and throws the ZodError, naming the field', async () => {
    const dir = await tempDir('validate');
    await writeLinearModel(dir, { weights, bias });
    await writeManifest(
      dir,
      regressionManifest({
        input: {
          tensor: 'float_input',
          fields: [{ name: 'a', type: 'number', min: 0, max: 10 }, ...numberFields(['b', 'c'])],
        },
      }),
    );
    const model = await load(dir);
    const err = await model.predict({ a: 11, b: 0, c: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZodError);
    expect((err as ZodError).issues[0]?.message).toBe('a must be <= 10');
    await expect(
      model.predictBatch([
        { a: 1, b: 0, c: 0 },
        { a: 1, b: 'x', c: 0 },
      ]),
    ).rejects.toThrow('b must be a number');
  });

  it('exposes source, directory, sha256 of model.onnx and a model card', async () => {
    const dir = await tempDir('card');
    await writeLinearModel(dir, { weights, bias });
    await writeManifest(dir, {
      ...regressionManifest({ description: 'House prices.' }),
      card: {
        algorithm: 'ridge regression (scikit-learn 1.5)',
        rows: 506,
        metrics: { r2: 0.71 },
        trained_at: '2026-01-31T12:00:00Z',
      },
    });
    const model = await load(dir);
    expect(model.source).toBe('onnx');
    expect(model.directory).toBe(dir);
    expect(model.sha256).toBe(
      createHash('sha256')
        .update(await readFile(join(dir, 'model.onnx')))
        .digest('hex'),
    );
    expect(model).toMatchObject({ name: 'test-linear', version: '1.0.0', service: 'v2', task: 'regression' });
    expect(model.labels).toBeUndefined();
    const card = await model.card();
    expect(card).toMatchObject({
      name: 'test-linear',
      version: '1.0.0',
      service: 'v2',
      task: 'regression',
      algorithm: 'ridge regression (scikit-learn 1.5)',
      description: 'House prices.',
      trained_at: '2026-01-31T12:00:00Z',
      metrics: { r2: 0.71 },
      data: { source: 'provided by the model owner', rows: 506, features: ['a', 'b', 'c'], target: 'price' },
      hyperparameters: {
        model_sha256: model.sha256,
        input_tensor: 'float_input',
        output_tensor: 'variable',
        scale: 1,
        offset: 0,
      },
    });
    card.metrics.r2 = 0; // a copy
    expect((await model.card()).metrics.r2).toBe(0.71);
    const plain = await load(
      await (async () => {
        const d = await tempDir('plain-card');
        await writeLinearModel(d, { weights, bias });
        await writeManifest(d, regressionManifest());
        return d;
      })(),
    );
    const defaults = await plain.card();
    expect(defaults.algorithm).toBe('ONNX graph');
    expect(Number.isNaN(Date.parse(defaults.trained_at))).toBe(false);
  });
});

describe('classification', () => {
  // z = a − 2·b + 0.5
  const weights = [1, -2];
  const bias = 0.5;
  const z = (a: number, b: number) => a - 2 * b + 0.5;

  it('one probability column: P(positive), label by p >= 0.5, probabilities of both labels', async () => {
    const dir = await tempDir('logistic');
    await writeLogisticModel(dir, { weights, bias });
    await writeManifest(dir, classificationManifest());
    const model = await load(dir, { expectService: 'v1' });
    expect(model.labels).toEqual(['spam', 'ham']);
    expect(model.positiveLabel).toBe('spam');
    const rows = [
      { a: 3, b: 0 },
      { a: 0, b: 2 },
      { a: -0.5, b: 0 },
    ];
    const out = await model.predictBatch(rows);
    rows.forEach((row, i) => {
      const p = sigmoid(z(row.a, row.b));
      const o = out[i]!;
      close(o.probability as number, p);
      expect(o.label).toBe(p >= 0.5 ? 'spam' : 'ham');
      close((o.probabilities as Record<string, number>).spam!, p);
      close((o.probabilities as Record<string, number>).ham!, 1 - p);
    });
    expect(out[2]!.label).toBe('spam'); // z = 0 → p = 0.5 → the positive label
    expect(model.predictedValue(out[1]!)).toBe('ham');
  });

  it('one logit column with activation sigmoid, custom reply fields', async () => {
    const dir = await tempDir('logit');
    await writeLogisticModel(dir, { weights, bias, logits: true });
    await writeManifest(
      dir,
      classificationManifest({ activation: 'sigmoid', field: 'category', probability_field: 'p_spam' }),
    );
    const model = await load(dir);
    const out = await model.predict({ a: 1, b: 1 });
    expect(Object.keys(out)).toEqual(['category', 'p_spam', 'probabilities']);
    close(out.p_spam as number, sigmoid(z(1, 1)));
    expect(out.category).toBe('ham');
    expect(model.predictedValue(out)).toBe('ham');
  });

  it('two probability columns [1 − p, p] in label order; the positive label may be the second', async () => {
    const dir = await tempDir('two-columns');
    await writeLogisticModel(dir, { weights, bias, columns: 2 });
    await writeManifest(dir, classificationManifest({ labels: ['ham', 'spam'], positive_label: 'spam' }));
    const model = await load(dir);
    const out = await model.predict({ a: 2, b: 0 });
    const p = sigmoid(z(2, 0));
    close(out.probability as number, p);
    expect(out.label).toBe('spam');
    close((out.probabilities as Record<string, number>).ham!, 1 - p);
  });

  it('two logit columns with activation softmax', async () => {
    const dir = await tempDir('softmax-2');
    await writeLogisticModel(dir, { weights, bias, columns: 2, logits: true });
    await writeManifest(
      dir,
      classificationManifest({ labels: ['ham', 'spam'], positive_label: 'spam', activation: 'softmax' }),
    );
    const model = await load(dir);
    const [a, b] = await model.predictBatch([
      { a: 0, b: 1 },
      { a: 4, b: 0 },
    ]);
    close(a!.probability as number, sigmoid(z(0, 1)));
    expect(a!.label).toBe('ham');
    close(b!.probability as number, sigmoid(z(4, 0)));
    expect(b!.label).toBe('spam');
  });

  it('K classes: argmax label, probability of the positive label, softmax applied by the graph or by the manifest', async () => {
    const W = [
      [1, 0],
      [0, 1],
      [-1, -1],
    ];
    const b = [0, 0.5, 0];
    const softmax = (x: number, y: number) => {
      const logits = W.map((w, k) => w[0]! * x + w[1]! * y + b[k]!);
      const e = logits.map(Math.exp);
      const s = e.reduce((p, q) => p + q, 0);
      return e.map((v) => v / s);
    };
    const manifest = (activation: 'none' | 'softmax') =>
      classificationManifest(
        { labels: ['cat', 'dog', 'bird'], positive_label: 'dog', activation, field: 'animal' },
        { input: { tensor: 'float_input', fields: numberFields(['x', 'y']) } },
      );
    for (const logits of [false, true]) {
      const dir = await tempDir(`softmax-3-${logits}`);
      await writeSoftmaxModel(dir, { weights: W, biases: b, logits });
      await writeManifest(dir, manifest(logits ? 'softmax' : 'none'));
      const model = await load(dir);
      const rows = [
        { x: 2, y: 0 },
        { x: 0, y: 1 },
        { x: -3, y: -3 },
      ];
      const out = await model.predictBatch(rows);
      rows.forEach((row, i) => {
        const p = softmax(row.x, row.y);
        const o = out[i]!;
        expect(o.animal).toBe(['cat', 'dog', 'bird'][p.indexOf(Math.max(...p))]);
        close(o.probability as number, p[1]!);
        const probs = o.probabilities as Record<string, number>;
        close(probs.cat!, p[0]!);
        close(probs.dog!, p[1]!);
        close(probs.bird!, p[2]!);
      });
    }
  });

  it('a graph emitting logits with activation "none" fails the prediction, saying to set the activation', async () => {
    const dir = await tempDir('logit-as-probability');
    await writeLogisticModel(dir, { weights, bias, logits: true });
    await writeManifest(dir, classificationManifest());
    const model = await load(dir);
    await expect(model.predict({ a: 5, b: 0 })).rejects.toThrow(
      /not a probability; if the graph outputs a logit, set output.activation to "sigmoid"/,
    );
  });
});

describe('text field (string tensor)', () => {
  it('feeds a string tensor [N, 1] to a graph with its tokenizer inside', async () => {
    const dir = await tempDir('bag-of-words');
    await writeBagOfWordsModel(dir, { vocabulary: ['free', 'money', 'meeting'], weights: [1, 2, -3], bias: -1 });
    await writeManifest(
      dir,
      classificationManifest(
        { labels: ['spam', 'ham'], positive_label: 'spam', field: 'category' },
        { input: { fields: [{ name: 'text', type: 'text', tensor: 'text', description: 'The message' }] } },
      ),
    );
    const model = await load(dir);
    const texts = ['FREE money free', 'hello there', 'meeting about money', '   '];
    const logits = [2 * 1 + 2 - 1, -1, -3 + 2 - 1, -1];
    const out = await model.predictBatch(texts.map((text) => ({ text })));
    out.forEach((o, i) => {
      close(o.probability as number, sigmoid(logits[i]!));
      expect(o.category).toBe(logits[i]! >= 0 ? 'spam' : 'ham');
    });
    await expect(model.predict({ text: '' })).rejects.toThrow('text must not be empty');
  });
});

describe('dispose', () => {
  it('releases the session; afterwards the model is not loaded and refuses predictions', async () => {
    const dir = await tempDir('dispose');
    await writeLinearModel(dir, { weights: [1, 1, 1], bias: 0 });
    await writeManifest(dir, regressionManifest());
    const model = await loadOnnxModel(dir);
    await model.predict({ a: 1, b: 1, c: 1 });
    await model.dispose();
    await model.dispose(); // idempotent
    expect(model.isLoaded()).toBe(false);
    await expect(model.predict({ a: 1, b: 1, c: 1 })).rejects.toThrow(/test-linear 1\.0\.0 .* was disposed/);
    await expect(model.load()).rejects.toThrow(/was disposed; load the directory again/);
  });

  it('lets predictions already running finish before releasing', async () => {
    const dir = await tempDir('dispose-in-flight');
    await writeLinearModel(dir, { weights: [1, 1, 1], bias: 0 });
    await writeManifest(dir, regressionManifest());
    const model = await loadOnnxModel(dir);
    const running = Array.from({ length: 20 }, (_, i) => model.predict({ a: i, b: 0, c: 0 }));
    const disposed = model.dispose();
    const late = model.predict({ a: 1, b: 1, c: 1 }).then(
      () => 'answered',
      (err: Error) => err.message,
    );
    expect((await Promise.all(running)).map((o) => o.price)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    await disposed;
    expect(await late).toMatch(/was disposed/);
  });

  it('two loads of one directory are independent sessions', async () => {
    const dir = await tempDir('two-loads');
    await writeLinearModel(dir, { weights: [1, 2, 3], bias: 0 });
    await writeManifest(dir, regressionManifest());
    const first = await loadOnnxModel(dir);
    const second = await load(dir);
    await first.dispose();
    expect(await second.predict({ a: 1, b: 1, c: 1 })).toEqual({ price: 6 });
  });
});
