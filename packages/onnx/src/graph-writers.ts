/** Writers of small ONNX graphs and their manifests for tests (see testing.ts for the API). */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { onnx as OnnxNamespace } from 'onnx-proto';
import type { OnnxManifestInput } from './manifest.ts';

const IR_VERSION = 8;
const OPSET_VERSION = 15;

type Onnx = typeof OnnxNamespace;
let proto: Promise<Onnx> | undefined;
const onnxProto = (): Promise<Onnx> => (proto ??= import('onnx-proto').then((m) => m.default.onnx));

// TensorProto.DataType and AttributeProto.AttributeType values (onnx.proto)
const FLOAT = 1;
const STRING = 8;
const INT64 = 7;
const DOUBLE = 11;
const ATTR_INT = 2;
const ATTR_STRING = 3;
const ATTR_INTS = 7;
const ATTR_STRINGS = 8;

type Dim = number | string;
type ElementType = 'float32' | 'float64';

interface Names {
  /** Graph input name. */
  inputName?: string;
  /** Graph output name. */
  outputName?: string;
}

export interface LinearModelSpec extends Names {
  /** One weight per feature: F = weights.length. */
  weights: readonly number[];
  bias: number;
  /** Element type of the input, weights and output. Default float32. */
  elementType?: ElementType;
  /** The input's batch dimension: a symbol (default "N") or a fixed size (e.g. 1, as some exporters write). */
  batch?: Dim;
}

export interface LogisticModelSpec extends Names {
  weights: readonly number[];
  bias: number;
  /** 1 (default): one column p. 2: two columns [1 − p, p] (like a binary classifier's probabilities). */
  columns?: 1 | 2;
  /** Emit logits instead of probabilities: z (1 column) or [0, z] (2 columns, softmax of which is [1 − p, p]). */
  logits?: boolean;
}

export interface SoftmaxModelSpec extends Names {
  /** K rows of F weights: class k's logit is x·weights[k] + biases[k]. */
  weights: readonly (readonly number[])[];
  biases: readonly number[];
  /** Emit the logits instead of softmax probabilities. */
  logits?: boolean;
}

export interface BagOfWordsModelSpec extends Names {
  /** The words counted: the text is lower-cased and split on spaces; each vocabulary word's count is a feature. */
  vocabulary: readonly string[];
  /** One weight per vocabulary word. */
  weights: readonly number[];
  bias: number;
  /** Emit the logit z instead of sigmoid(z). */
  logits?: boolean;
}

const tensorType = (name: string, elemType: number, dims: readonly Dim[]) => ({
  name,
  type: {
    tensorType: {
      elemType,
      shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
    },
  },
});

function initializer(name: string, elementType: ElementType, dims: readonly number[], values: readonly number[]) {
  return elementType === 'float64'
    ? { name, dataType: DOUBLE, dims: [...dims], doubleData: [...values] }
    : { name, dataType: FLOAT, dims: [...dims], floatData: [...values] };
}

const elemTypeOf = (t: ElementType) => (t === 'float64' ? DOUBLE : FLOAT);

interface GraphParts {
  name: string;
  inputs: ReturnType<typeof tensorType>[];
  outputs: ReturnType<typeof tensorType>[];
  initializers: object[];
  nodes: object[];
  contribOps?: boolean;
}

async function writeGraph(dir: string, parts: GraphParts): Promise<string> {
  const onnx = await onnxProto();
  const model = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    producerName: '@mlapi/onnx/testing',
    producerVersion: '1',
    opsetImport: [
      { domain: '', version: OPSET_VERSION },
      ...(parts.contribOps ? [{ domain: 'com.microsoft', version: 1 }] : []),
    ],
    graph: {
      name: parts.name,
      input: parts.inputs,
      output: parts.outputs,
      initializer: parts.initializers,
      node: parts.nodes,
    },
  });
  const problem = onnx.ModelProto.verify(model);
  if (problem) throw new Error(`@mlapi/onnx/testing built an invalid ModelProto: ${problem}`);
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'model.onnx');
  await writeFile(path, onnx.ModelProto.encode(model).finish());
  return path;
}

function checkWeights(what: string, weights: readonly number[]): void {
  if (weights.length === 0) throw new Error(`${what}: weights must not be empty`);
  if (!weights.every(Number.isFinite)) throw new Error(`${what}: weights must be finite numbers`);
}

/** y = x·weights + bias, input [N, F] → output [N, 1]. */
export function writeLinearModel(dir: string, spec: LinearModelSpec): Promise<string> {
  checkWeights('writeLinearModel', spec.weights);
  const { inputName = 'float_input', outputName = 'variable', elementType = 'float32', batch = 'N' } = spec;
  const F = spec.weights.length;
  const t = elemTypeOf(elementType);
  return writeGraph(dir, {
    name: 'linear',
    inputs: [tensorType(inputName, t, [batch, F])],
    outputs: [tensorType(outputName, t, [batch, 1])],
    initializers: [
      initializer('W', elementType, [F, 1], spec.weights),
      initializer('B', elementType, [1], [spec.bias]),
    ],
    nodes: [
      { opType: 'MatMul', input: [inputName, 'W'], output: ['XW'] },
      { opType: 'Add', input: ['XW', 'B'], output: [outputName] },
    ],
  });
}

/**
 * The linear model of `writeLinearModel`, made slow on purpose: each run also multiplies two `busySize`² matrices
 * built from the input (so nothing can be folded at load) and adds 0 × their sum. What a heavy real model does to
 * the thread that runs it, in a few bytes: about 2·busySize³ floating-point operations per run, on one core.
 */
export function writeBusyLinearModel(dir: string, spec: LinearModelSpec & { busySize: number }): Promise<string> {
  checkWeights('writeBusyLinearModel', spec.weights);
  const { inputName = 'float_input', outputName = 'variable', busySize } = spec;
  const F = spec.weights.length;
  return writeGraph(dir, {
    name: 'busy-linear',
    inputs: [tensorType(inputName, FLOAT, ['N', F])],
    outputs: [tensorType(outputName, FLOAT, ['N', 1])],
    initializers: [
      initializer('W', 'float32', [F, 1], spec.weights),
      initializer('B', 'float32', [1], [spec.bias]),
      initializer('ZERO', 'float32', [1], [0]),
      { name: 'SQUARE', dataType: INT64, dims: [2], int64Data: [busySize, busySize] },
    ],
    nodes: [
      { opType: 'MatMul', input: [inputName, 'W'], output: ['XW'] },
      { opType: 'Add', input: ['XW', 'B'], output: ['Y'] },
      { opType: 'ReduceSum', input: [inputName], output: ['S'] },
      { opType: 'Expand', input: ['S', 'SQUARE'], output: ['M'] },
      { opType: 'MatMul', input: ['M', 'M'], output: ['MM'] },
      { opType: 'ReduceSum', input: ['MM'], output: ['T'] },
      { opType: 'Mul', input: ['T', 'ZERO'], output: ['NOTHING'] },
      { opType: 'Add', input: ['Y', 'NOTHING'], output: [outputName] },
    ],
  });
}

/** z = x·weights + bias; p = sigmoid(z). Output [N, 1] = p, or [N, 2] = [1 − p, p] (`columns: 2`); logits with `logits`. */
export function writeLogisticModel(dir: string, spec: LogisticModelSpec): Promise<string> {
  checkWeights('writeLogisticModel', spec.weights);
  const { inputName = 'float_input', outputName = 'probabilities', columns = 1, logits = false } = spec;
  const F = spec.weights.length;
  const nodes: object[] = [
    { opType: 'MatMul', input: [inputName, 'W'], output: ['XW'] },
    { opType: 'Add', input: ['XW', 'B'], output: ['Z'] },
  ];
  const last = columns === 1 ? outputName : 'P1';
  if (logits) {
    nodes.push({ opType: 'Identity', input: ['Z'], output: [last] });
    if (columns === 2) nodes.push({ opType: 'Sub', input: ['Z', 'Z'], output: ['P0'] });
  } else {
    nodes.push({ opType: 'Sigmoid', input: ['Z'], output: [last] });
    if (columns === 2) nodes.push({ opType: 'Sub', input: ['ONE', last], output: ['P0'] });
  }
  if (columns === 2)
    nodes.push({
      opType: 'Concat',
      input: ['P0', 'P1'],
      output: [outputName],
      attribute: [{ name: 'axis', type: ATTR_INT, i: 1 }],
    });
  return writeGraph(dir, {
    name: 'logistic',
    inputs: [tensorType(inputName, FLOAT, ['N', F])],
    outputs: [tensorType(outputName, FLOAT, ['N', columns])],
    initializers: [
      initializer('W', 'float32', [F, 1], spec.weights),
      initializer('B', 'float32', [1], [spec.bias]),
      initializer('ONE', 'float32', [1], [1]),
    ],
    nodes,
  });
}

/** p = softmax(x·Wᵀ + b) over K classes: input [N, F] → output [N, K] (logits with `logits`). */
export function writeSoftmaxModel(dir: string, spec: SoftmaxModelSpec): Promise<string> {
  const K = spec.weights.length;
  const F = spec.weights[0]?.length ?? 0;
  if (K < 2) throw new Error('writeSoftmaxModel: needs at least 2 classes (weights rows)');
  if (spec.biases.length !== K) throw new Error(`writeSoftmaxModel: ${K} weight rows but ${spec.biases.length} biases`);
  spec.weights.forEach((row, k) => {
    checkWeights(`writeSoftmaxModel row ${k}`, row);
    if (row.length !== F) throw new Error(`writeSoftmaxModel: row ${k} has ${row.length} weights, row 0 has ${F}`);
  });
  const { inputName = 'float_input', outputName = 'probabilities', logits = false } = spec;
  const transposed: number[] = [];
  for (let f = 0; f < F; f++) for (let k = 0; k < K; k++) transposed.push(spec.weights[k]?.[f] as number);
  return writeGraph(dir, {
    name: 'softmax',
    inputs: [tensorType(inputName, FLOAT, ['N', F])],
    outputs: [tensorType(outputName, FLOAT, ['N', K])],
    initializers: [initializer('W', 'float32', [F, K], transposed), initializer('B', 'float32', [K], spec.biases)],
    nodes: [
      { opType: 'MatMul', input: [inputName, 'W'], output: ['XW'] },
      { opType: 'Add', input: ['XW', 'B'], output: [logits ? outputName : 'Z'] },
      ...(logits
        ? []
        : [
            {
              opType: 'Softmax',
              input: ['Z'],
              output: [outputName],
              attribute: [{ name: 'axis', type: ATTR_INT, i: 1 }],
            },
          ]),
    ],
  });
}

/**
 * A text classifier with its tokenizer inside the graph (like an sklearn CountVectorizer + LogisticRegression
 * pipeline exported by skl2onnx): string input [N, 1] → lower-case → split on spaces → count of each vocabulary
 * word → z = Σ count·w + b → sigmoid(z), output [N, 1]. Uses onnxruntime's Tokenizer (com.microsoft domain).
 */
export function writeBagOfWordsModel(dir: string, spec: BagOfWordsModelSpec): Promise<string> {
  checkWeights('writeBagOfWordsModel', spec.weights);
  const V = spec.vocabulary.length;
  if (V !== spec.weights.length) throw new Error(`writeBagOfWordsModel: ${V} words but ${spec.weights.length} weights`);
  if (spec.vocabulary.some((w) => w !== w.toLowerCase() || w.includes(' ') || w === '')) {
    throw new Error('writeBagOfWordsModel: vocabulary words must be non-empty, lower-case and without spaces');
  }
  const { inputName = 'text', outputName = 'probabilities', logits = false } = spec;
  const bytes = (s: string) => Buffer.from(s, 'utf8');
  return writeGraph(dir, {
    name: 'bag_of_words',
    contribOps: true,
    inputs: [tensorType(inputName, STRING, ['N', 1])],
    outputs: [tensorType(outputName, FLOAT, ['N', 1])],
    initializers: [
      { name: 'AXIS1', dataType: INT64, dims: [1], int64Data: [1] },
      initializer('W', 'float32', [V, 1], spec.weights),
      initializer('B', 'float32', [1], [spec.bias]),
    ],
    nodes: [
      { opType: 'Squeeze', input: [inputName, 'AXIS1'], output: ['T1'] },
      {
        opType: 'StringNormalizer',
        input: ['T1'],
        output: ['T2'],
        attribute: [
          { name: 'case_change_action', type: ATTR_STRING, s: bytes('LOWER') },
          { name: 'locale', type: ATTR_STRING, s: bytes('C') },
        ],
      },
      {
        opType: 'Tokenizer',
        domain: 'com.microsoft',
        input: ['T2'],
        output: ['TOKENS'],
        attribute: [
          { name: 'mark', type: ATTR_INT, i: 0 },
          { name: 'mincharnum', type: ATTR_INT, i: 1 },
          { name: 'pad_value', type: ATTR_STRING, s: bytes('#') },
          { name: 'separators', type: ATTR_STRINGS, strings: [bytes(' ')] },
        ],
      },
      {
        opType: 'TfIdfVectorizer',
        input: ['TOKENS'],
        output: ['COUNTS'],
        attribute: [
          { name: 'mode', type: ATTR_STRING, s: bytes('TF') },
          { name: 'min_gram_length', type: ATTR_INT, i: 1 },
          { name: 'max_gram_length', type: ATTR_INT, i: 1 },
          { name: 'max_skip_count', type: ATTR_INT, i: 0 },
          { name: 'ngram_counts', type: ATTR_INTS, ints: [0, V] },
          { name: 'ngram_indexes', type: ATTR_INTS, ints: spec.vocabulary.map((_, i) => i) },
          { name: 'pool_strings', type: ATTR_STRINGS, strings: spec.vocabulary.map(bytes) },
        ],
      },
      { opType: 'MatMul', input: ['COUNTS', 'W'], output: ['XW'] },
      { opType: 'Add', input: ['XW', 'B'], output: [logits ? outputName : 'Z'] },
      ...(logits ? [] : [{ opType: 'Sigmoid', input: ['Z'], output: [outputName] }]),
    ],
  });
}

/** Writes `dir/manifest.json` (pretty-printed) and returns its path. Not validated: invalid manifests are for tests too. */
export async function writeManifest(dir: string, manifest: OnnxManifestInput): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'manifest.json');
  await writeFile(path, `${JSON.stringify(manifest, null, 2)}\n`);
  return path;
}
