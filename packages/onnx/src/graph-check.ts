/**
 * Checks a manifest against the ONNX graph's declared inputs and outputs (as onnxruntime reports them), so a
 * mismatch is found when the model is loaded, not on the first request. Pure: takes the metadata, returns the
 * problems (each naming what the manifest says and what the graph has) and how to feed the graph.
 */
import type { InferenceSession } from 'onnxruntime-node';
import { packedFields, textField, type OnnxManifest } from './manifest.ts';
import type { FloatElementType } from './encode-input.ts';

export type ValueMetadata = InferenceSession.ValueMetadata;

interface GraphPlan {
  /** Element type of `input.tensor` (undefined when every field is text). */
  packedType?: FloatElementType;
  /** Rank of the text input: 1 → [N], 2 → [N, 1]. */
  textRank?: 1 | 2;
  /** The graph's batch dimension is fixed at 1: rows are run one at a time. */
  fixedBatchOfOne: boolean;
}

export interface GraphCheck {
  problems: string[];
  plan: GraphPlan;
}

const FLOAT_TYPES: readonly string[] = ['float32', 'float64'];

const list = (names: readonly string[]) => `[${names.join(', ')}]`;
const shapeText = (shape: readonly (number | string)[]) =>
  `[${shape.map((d) => (d === '' ? '?' : String(d))).join(', ')}]`;
const typeText = (m: ValueMetadata) =>
  m.isTensor ? `a ${m.type} tensor of shape ${shapeText(m.shape)}` : 'not a tensor';
const names = (fields: readonly { name: string }[], max = 16) =>
  fields.length <= max
    ? fields.map((f) => f.name).join(', ')
    : `${fields
        .slice(0, max)
        .map((f) => f.name)
        .join(', ')}, …`;

/** The packed float input: `input.tensor` must be a float tensor [N, F] with F = the packed field count. */
function checkPackedInput(
  manifest: OnnxManifest,
  inputs: readonly ValueMetadata[],
  plan: GraphPlan,
  batchDims: (number | string)[],
): string[] {
  const problems: string[] = [];
  const packed = packedFields(manifest);
  const tensor = manifest.input.tensor;
  if (tensor === undefined) return problems;
  const meta = inputs.find((m) => m.name === tensor);
  if (!meta) {
    problems.push(`the graph has inputs ${list(inputs.map((m) => m.name))}; manifest input.tensor is "${tensor}"`);
  } else if (!meta.isTensor || !FLOAT_TYPES.includes(meta.type)) {
    problems.push(
      `input "${tensor}" is ${typeText(meta)}; manifest input.tensor must be a float32 or float64 tensor [N, F]`,
    );
  } else {
    plan.packedType = meta.type as FloatElementType;
    const { shape } = meta;
    if (shape.length > 0 && shape.length !== 2) {
      problems.push(`input "${tensor}" has shape ${shapeText(shape)}; expected [N, F] (rank 2, one row per request)`);
    } else if (shape.length === 2) {
      batchDims.push(shape[0] as number | string);
      const F = shape[1];
      if (typeof F === 'number' && F !== packed.length) {
        problems.push(
          `input "${tensor}" has shape ${shapeText(shape)}: ${F} features; manifest input.fields packs ${packed.length} ` +
            `(${names(packed)})`,
        );
      }
    }
  }
  return problems;
}

/** The text input: the text field's tensor must be a string tensor [N, 1] or [N]. */
function checkTextInput(
  manifest: OnnxManifest,
  inputs: readonly ValueMetadata[],
  plan: GraphPlan,
  batchDims: (number | string)[],
): string[] {
  const problems: string[] = [];
  const text = textField(manifest);
  if (!text) return problems;
  const meta = inputs.find((m) => m.name === text.tensor);
  if (!meta) {
    problems.push(
      `the graph has inputs ${list(inputs.map((m) => m.name))}; manifest text field "${text.name}" names tensor "${text.tensor}"`,
    );
  } else if (!meta.isTensor || meta.type !== 'string') {
    problems.push(
      `input "${text.tensor}" is ${typeText(meta)}; text field "${text.name}" needs a string tensor [N, 1] or [N]`,
    );
  } else {
    const { shape } = meta;
    const last = shape[shape.length - 1];
    if (shape.length === 2 && typeof last === 'number' && last !== 1) {
      problems.push(
        `input "${text.tensor}" has shape ${shapeText(shape)}; text field "${text.name}" needs [N, 1] or [N]`,
      );
    } else if (shape.length > 2) {
      problems.push(
        `input "${text.tensor}" has shape ${shapeText(shape)}; text field "${text.name}" needs [N, 1] or [N]`,
      );
    } else {
      plan.textRank = shape.length === 1 ? 1 : 2;
      if (shape.length > 0) batchDims.push(shape[0] as number | string);
    }
  }
  return problems;
}

/** Every graph input must be fed by `input.tensor` or the text field's tensor. */
function checkAllInputsFed(manifest: OnnxManifest, inputs: readonly ValueMetadata[]): string[] {
  const inputNames = inputs.map((m) => m.name);
  const fed = new Set([manifest.input.tensor, textField(manifest)?.tensor].filter((t): t is string => t !== undefined));
  const unfed = inputNames.filter((n) => !fed.has(n));
  const allFedExist = [...fed].every((n) => inputNames.includes(n)); // else the name mismatch above lists the inputs
  if (unfed.length > 0 && allFedExist) {
    return [
      `the graph has inputs ${list(inputNames)}; the manifest feeds only ${list([...fed])} ` +
        `(input.tensor and the text field's tensor), so ${list(unfed)} would get no value`,
    ];
  }
  return [];
}

/** Batch dimension: symbolic (any N) or fixed at 1 (one row per run); any other fixed size cannot take requests. */
function checkBatchDims(batchDims: readonly (number | string)[], plan: GraphPlan): string[] {
  const problems: string[] = [];
  for (const dim of batchDims) {
    if (typeof dim === 'number') {
      if (dim === 1) plan.fixedBatchOfOne = true;
      else
        problems.push(
          `the graph's batch dimension is fixed at ${dim}; export it with a dynamic (symbolic) batch dimension`,
        );
    }
  }
  return problems;
}

/** A classification output's column count against the manifest's labels and activation. */
function checkClassificationColumns(
  manifest: OnnxManifest,
  shape: readonly (number | string)[],
  last: number,
): string[] {
  if (manifest.task !== 'classification') return [];
  const out = manifest.output;
  const { labels, activation } = out;
  const K = labels.length;
  if (last === 1 && K !== 2) {
    return [
      `output "${out.tensor}" has shape ${shapeText(shape)}: 1 column, which fits 2 labels; ` +
        `manifest output.labels lists ${K} (${labels.join(', ')})`,
    ];
  }
  if (last !== 1 && last !== K) {
    return [
      `output "${out.tensor}" has shape ${shapeText(shape)}: ${last} columns; manifest output.labels lists ${K} ` +
        `(${labels.join(', ')})`,
    ];
  }
  if (last === 1 && activation === 'softmax') {
    return [
      `output "${out.tensor}" has 1 column; manifest output.activation "softmax" needs one column per label (use "sigmoid" for a logit)`,
    ];
  }
  if (last > 1 && activation === 'sigmoid') {
    return [
      `output "${out.tensor}" has ${last} columns; manifest output.activation "sigmoid" needs a single column (use "softmax" for ${last} logits)`,
    ];
  }
  return [];
}

/** The shape of a float output: [N, K] or [N], with K fitting the task. */
function checkOutputShape(manifest: OnnxManifest, shape: readonly (number | string)[]): string[] {
  const out = manifest.output;
  if (shape.length > 2) return [`output "${out.tensor}" has shape ${shapeText(shape)}; expected [N, K] or [N]`];
  const last = shape.length === 2 ? shape[1] : shape.length === 1 ? 1 : undefined;
  if (typeof last !== 'number') return [];
  if (manifest.task === 'regression') {
    return last !== 1
      ? [
          `output "${out.tensor}" has shape ${shapeText(shape)}: ${last} columns; a regression output needs [N, 1] or [N]`,
        ]
      : [];
  }
  return checkClassificationColumns(manifest, shape, last);
}

/** The output: `output.tensor` must be a float tensor of a shape that fits the task. */
function checkOutput(manifest: OnnxManifest, outputs: readonly ValueMetadata[]): string[] {
  const outputNames = outputs.map((m) => m.name);
  const out = manifest.output;
  const meta = outputs.find((m) => m.name === out.tensor);
  if (!meta) return [`the graph has outputs ${list(outputNames)}; manifest output.tensor is "${out.tensor}"`];
  if (!meta.isTensor) {
    return [
      `output "${out.tensor}" is not a tensor (a sequence or map, such as skl2onnx's ZipMap output); ` +
        'export probabilities as a tensor (skl2onnx: options={id(model): {"zipmap": False}})' +
        (outputNames.length > 1 ? ` or use another of the outputs ${list(outputNames)}` : ''),
    ];
  }
  if (!FLOAT_TYPES.includes(meta.type)) {
    return [
      `output "${out.tensor}" is ${typeText(meta)}; manifest output.tensor must be a float32 or float64 tensor ` +
        (manifest.task === 'classification' ? '(probabilities or logits, not labels)' : '(the prediction)'),
    ];
  }
  return checkOutputShape(manifest, meta.shape);
}

export function checkGraph(
  manifest: OnnxManifest,
  inputs: readonly ValueMetadata[],
  outputs: readonly ValueMetadata[],
): GraphCheck {
  const plan: GraphPlan = { fixedBatchOfOne: false };
  const batchDims: (number | string)[] = [];
  const problems = [
    ...checkPackedInput(manifest, inputs, plan, batchDims),
    ...checkTextInput(manifest, inputs, plan, batchDims),
    ...checkAllInputsFed(manifest, inputs),
    ...checkBatchDims(batchDims, plan),
    ...checkOutput(manifest, outputs),
  ];
  return { problems, plan };
}
