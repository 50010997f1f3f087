/** Every way a model directory can be wrong gives a ModelManifestError naming the file, the mismatch and the graph. */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelManifestError } from './errors.ts';
import { loadOnnxModel } from './onnx-model.ts';
import { writeLinearModel, writeLogisticModel, writeManifest, writeSoftmaxModel } from './testing.ts';
import {
  classificationManifest,
  numberFields,
  regressionManifest,
  tempDirs,
  valueInfo,
  writeRawGraph,
} from './test-helpers.ts';

const tempDir = tempDirs();

/** Loads `dir`, expecting a ModelManifestError; returns it. */
async function loadError(dir: string, options?: Parameters<typeof loadOnnxModel>[1]): Promise<ModelManifestError> {
  const err = await loadOnnxModel(dir, options).then(
    async (model) => {
      await model.dispose();
      throw new Error('expected loadOnnxModel to fail');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ModelManifestError);
  return err as ModelManifestError;
}

async function linearDir(name: string, manifest: object = regressionManifest(), weights = [1, 2, 3]): Promise<string> {
  const dir = await tempDir(name);
  await writeLinearModel(dir, { weights, bias: 0 });
  await writeManifest(dir, manifest as never);
  return dir;
}

describe('manifest.json problems', () => {
  it('missing manifest.json', async () => {
    const dir = await tempDir('no-manifest');
    await writeLinearModel(dir, { weights: [1], bias: 0 });
    const err = await loadError(dir);
    expect(err.message).toBe(`${dir}/manifest.json: not found (a model directory needs model.onnx and manifest.json)`);
    expect(err).toMatchObject({ directory: dir, file: 'manifest.json' });
  });

  it('bad JSON', async () => {
    const dir = await linearDir('bad-json');
    await writeFile(join(dir, 'manifest.json'), '{ "service": "v2", }');
    const err = await loadError(dir);
    expect(err.message).toMatch(new RegExp(`^${dir}/manifest\\.json: is not valid JSON \\(.+\\)$`));
  });

  it('unknown manifest key', async () => {
    const dir = await linearDir('unknown-key', { ...regressionManifest(), lables: ['a', 'b'] });
    const err = await loadError(dir);
    expect(err.message).toBe(
      `${dir}/manifest.json: (root): unknown key "lables" (allowed: service, name, version, description, input, card, task, output)`,
    );
  });

  it('several problems at once, each with its JSON path', async () => {
    const dir = await linearDir(
      'several',
      classificationManifest({ labels: ['only-one'], positive_label: 'x' }, { version: 'one' }),
    );
    const err = await loadError(dir);
    expect(err.problems).toEqual([
      'version: must be a semantic version like 1.0.0 or 2.1.0-rc.1',
      'output.labels: must list at least 2 labels',
      'output.positive_label: must be one of labels ("only-one"), is "x"',
    ]);
    expect(err.message).toContain(
      'manifest.json: version: must be a semantic version like 1.0.0 or 2.1.0-rc.1; output.labels: must list at least 2 labels',
    );
  });

  it('wrong service for the directory', async () => {
    const dir = await linearDir('wrong-service');
    const err = await loadError(dir, { expectService: 'v1' });
    expect(err.message).toBe(`${dir}/manifest.json: service is "v2"; this directory was loaded to serve "v1"`);
  });
});

describe('model.onnx problems', () => {
  it('missing model.onnx', async () => {
    const dir = await linearDir('no-model');
    await rm(join(dir, 'model.onnx'));
    const err = await loadError(dir);
    expect(err.message).toBe(`${dir}/model.onnx: not found (a model directory needs model.onnx and manifest.json)`);
    expect(err.file).toBe('model.onnx');
  });

  it('a file that is not an ONNX model', async () => {
    const dir = await linearDir('garbage');
    await writeFile(join(dir, 'model.onnx'), 'this is not protobuf');
    const err = await loadError(dir);
    expect(err.message).toMatch(new RegExp(`^${dir}/model\\.onnx: cannot be loaded by onnxruntime 1\\.30\\.0: .+`));
  });

  it('wrong input tensor name', async () => {
    const dir = await linearDir(
      'input-name',
      regressionManifest({ input: { tensor: 'x', fields: numberFields(['a', 'b', 'c']) } }),
    );
    const err = await loadError(dir);
    expect(err.message).toBe(`${dir}/model.onnx: the graph has inputs [float_input]; manifest input.tensor is "x"`);
  });

  it('wrong feature count', async () => {
    const dir = await linearDir(
      'feature-count',
      regressionManifest({ input: { tensor: 'float_input', fields: numberFields(['a', 'b']) } }),
    );
    const err = await loadError(dir);
    expect(err.problems).toEqual([
      'input "float_input" has shape [N, 3]: 3 features; manifest input.fields packs 2 (a, b)',
    ]);
  });

  it('wrong output tensor name', async () => {
    const dir = await linearDir('output-name', regressionManifest({ output: { tensor: 'price', field: 'price' } }));
    const err = await loadError(dir);
    expect(err.problems).toEqual(['the graph has outputs [variable]; manifest output.tensor is "price"']);
  });

  it('wrong label count for K columns', async () => {
    const dir = await tempDir('label-count');
    await writeSoftmaxModel(dir, {
      weights: [
        [1, 0],
        [0, 1],
        [1, 1],
      ],
      biases: [0, 0, 0],
    });
    await writeManifest(dir, classificationManifest());
    const err = await loadError(dir);
    expect(err.problems).toEqual([
      'output "probabilities" has shape [N, 3]: 3 columns; manifest output.labels lists 2 (spam, ham)',
    ]);
  });

  it('one column with more than 2 labels', async () => {
    const dir = await tempDir('one-column-3-labels');
    await writeLogisticModel(dir, { weights: [1, 2], bias: 0 });
    await writeManifest(dir, classificationManifest({ labels: ['a', 'b', 'c'], positive_label: 'a' }));
    const err = await loadError(dir);
    expect(err.problems).toEqual([
      'output "probabilities" has shape [N, 1]: 1 column, which fits 2 labels; manifest output.labels lists 3 (a, b, c)',
    ]);
  });

  it('an activation that does not fit the columns', async () => {
    const dir = await tempDir('sigmoid-two-columns');
    await writeLogisticModel(dir, { weights: [1, 2], bias: 0, columns: 2 });
    await writeManifest(dir, classificationManifest({ activation: 'sigmoid' }));
    expect((await loadError(dir)).problems).toEqual([
      'output "probabilities" has 2 columns; manifest output.activation "sigmoid" needs a single column (use "softmax" for 2 logits)',
    ]);
    const one = await tempDir('softmax-one-column');
    await writeLogisticModel(one, { weights: [1, 2], bias: 0 });
    await writeManifest(one, classificationManifest({ activation: 'softmax' }));
    expect((await loadError(one)).problems[0]).toMatch(
      /has 1 column; manifest output.activation "softmax" needs one column per label/,
    );
  });

  it('a regression output with several columns', async () => {
    const dir = await tempDir('regression-columns');
    await writeSoftmaxModel(dir, {
      weights: [
        [1, 0, 0],
        [0, 1, 0],
      ],
      biases: [0, 0],
    });
    await writeManifest(dir, regressionManifest({ output: { tensor: 'probabilities', field: 'y' } }));
    expect((await loadError(dir)).problems).toEqual([
      'output "probabilities" has shape [N, 2]: 2 columns; a regression output needs [N, 1] or [N]',
    ]);
  });

  it('an input that is not float, and a graph input the manifest does not feed', async () => {
    const dir = await tempDir('int-input');
    await writeRawGraph(dir, {
      name: 'g',
      input: [valueInfo('ids', 7, ['N', 3]), valueInfo('extra', 1, ['N', 1])],
      output: [valueInfo('y', 1, ['N', 3])],
      node: [{ opType: 'Cast', input: ['ids'], output: ['y'], attribute: [{ name: 'to', type: 2, i: 1 }] }],
    });
    await writeManifest(
      dir,
      regressionManifest({
        input: { tensor: 'ids', fields: numberFields(['a', 'b', 'c']) },
        output: { tensor: 'y', field: 'y' },
      }),
    );
    const err = await loadError(dir);
    expect(err.problems).toEqual([
      'input "ids" is a int64 tensor of shape [N, 3]; manifest input.tensor must be a float32 or float64 tensor [N, F]',
      "the graph has inputs [ids, extra]; the manifest feeds only [ids] (input.tensor and the text field's tensor), so [extra] would get no value",
      'output "y" has shape [N, 3]: 3 columns; a regression output needs [N, 1] or [N]',
    ]);
  });

  it('a label output (int64) or a ZipMap output instead of probabilities', async () => {
    const dir = await tempDir('zipmap');
    await writeRawGraph(
      dir,
      {
        name: 'g',
        input: [valueInfo('float_input', 1, ['N', 2])],
        output: [
          valueInfo('output_label', 7, ['N']),
          {
            name: 'output_probability',
            type: {
              sequenceType: { elemType: { mapType: { keyType: 8, valueType: { tensorType: { elemType: 1 } } } } },
            },
          },
        ],
        node: [
          {
            opType: 'ArgMax',
            input: ['float_input'],
            output: ['output_label'],
            attribute: [
              { name: 'axis', type: 2, i: 1 },
              { name: 'keepdims', type: 2, i: 0 },
            ],
          },
          {
            opType: 'ZipMap',
            domain: 'ai.onnx.ml',
            input: ['float_input'],
            output: ['output_probability'],
            attribute: [{ name: 'classlabels_strings', type: 8, strings: [Buffer.from('ham'), Buffer.from('spam')] }],
          },
        ],
      },
      [
        { domain: '', version: 15 },
        { domain: 'ai.onnx.ml', version: 1 },
      ],
    );
    await writeManifest(dir, classificationManifest({ tensor: 'output_probability' }));
    expect((await loadError(dir)).problems).toEqual([
      'output "output_probability" is not a tensor (a sequence or map, such as skl2onnx\'s ZipMap output); export probabilities as a tensor ' +
        '(skl2onnx: options={id(model): {"zipmap": False}}) or use another of the outputs [output_label, output_probability]',
    ]);
    await writeManifest(dir, classificationManifest({ tensor: 'output_label' }));
    expect((await loadError(dir)).problems).toEqual([
      'output "output_label" is a int64 tensor of shape [N]; manifest output.tensor must be a float32 or float64 tensor (probabilities or logits, not labels)',
    ]);
  });

  it('a batch dimension fixed at more than 1', async () => {
    const dir = await tempDir('batch-4');
    await writeLinearModel(dir, { weights: [1, 2, 3], bias: 0, batch: 4 });
    await writeManifest(dir, regressionManifest());
    expect((await loadError(dir)).problems).toEqual([
      "the graph's batch dimension is fixed at 4; export it with a dynamic (symbolic) batch dimension",
    ]);
  });

  it('a StringNormalizer needing a locale the machine lacks: the error says what to do', async () => {
    // skl2onnx writes StringNormalizer without a locale; onnxruntime then needs en_US.UTF-8 (absent on this image)
    const dir = await tempDir('locale');
    await writeRawGraph(dir, {
      name: 'g',
      input: [valueInfo('text', 8, ['N'])],
      output: [valueInfo('lower', 8, ['N'])],
      node: [
        {
          opType: 'StringNormalizer',
          input: ['text'],
          output: ['lower'],
          attribute: [{ name: 'case_change_action', type: 3, s: Buffer.from('LOWER') }],
        },
      ],
    });
    await writeManifest(
      dir,
      regressionManifest({
        input: { fields: [{ name: 'text', type: 'text', tensor: 'text' }] },
        output: { tensor: 'lower', field: 'y' },
      }),
    );
    const err = await loadError(dir);
    if (/locale/.test(err.message)) {
      expect(err.message).toMatch(/a StringNormalizer asks for a locale this machine lacks: install it/);
    } else {
      // the machine has the locale: the graph loads, and the string output is refused by the manifest check
      expect(err.problems).toEqual([
        'output "lower" is a string tensor of shape [N]; manifest output.tensor must be a float32 or float64 tensor (the prediction)',
      ]);
    }
  });

  it('a text field whose tensor is not a string input', async () => {
    const dir = await linearDir(
      'text-not-string',
      regressionManifest({ input: { fields: [{ name: 'text', type: 'text', tensor: 'float_input' }] } }),
    );
    expect((await loadError(dir)).problems).toEqual([
      'input "float_input" is a float32 tensor of shape [N, 3]; text field "text" needs a string tensor [N, 1] or [N]',
    ]);
  });
});
