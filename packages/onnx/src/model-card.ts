/** The ModelCard of an ONNX model: the manifest's facts, and "not reported" where the owner gave none. */
import type { ModelCard } from '@mlapi/ml';
import { packedFields, textField, type OnnxManifest } from './manifest.ts';

const NOT_REPORTED = 'not reported by the model owner';

export interface CardFacts {
  sha256: string;
  /** ISO time used when the manifest has no card.trained_at (model.onnx's modification time). */
  fileTime: string;
  runtimeVersion: string;
}

function outputText(m: OnnxManifest): string {
  if (m.task === 'regression') {
    const { field, unit, scale, offset } = m.output;
    const transform = scale !== 1 || offset !== 0 ? ` (graph output × ${scale} + ${offset})` : '';
    return `${field}${unit ? ` in ${unit}` : ''}${transform}`;
  }
  const { field, probability_field: pf, labels, positive_label: positive } = m.output;
  return `${field}: one of ${labels.join(', ')} (the most probable); ${pf}: P(${positive}); probabilities: P(label) for each label`;
}

export function buildCard(m: OnnxManifest, facts: CardFacts): ModelCard {
  const card = m.card ?? {};
  const rows = card.rows ?? 0;
  const text = textField(m);
  const hyperparameters: ModelCard['hyperparameters'] = {
    onnx_runtime: `onnxruntime-node ${facts.runtimeVersion}`,
    model_sha256: facts.sha256,
    output_tensor: m.output.tensor,
  };
  if (m.input.tensor !== undefined) hyperparameters.input_tensor = m.input.tensor;
  if (text) hyperparameters.text_tensor = text.tensor;
  if (m.input.standardize) {
    hyperparameters.standardize_mean = [...m.input.standardize.mean];
    hyperparameters.standardize_std = [...m.input.standardize.std];
  }
  if (m.task === 'regression') {
    hyperparameters.scale = m.output.scale;
    hyperparameters.offset = m.output.offset;
  } else {
    hyperparameters.activation = m.output.activation;
  }
  const features = [...packedFields(m).map((f) => f.name), ...(text ? [text.name] : [])];
  return {
    name: m.name,
    version: m.version,
    service: m.service,
    task: m.task,
    algorithm: card.algorithm ?? 'ONNX graph',
    description:
      m.description ?? `${m.task === 'regression' ? 'Regression' : 'Classification'} model served from an ONNX graph.`,
    trained_at: card.trained_at ?? facts.fileTime,
    data: {
      source: card.data_source ?? 'provided by the model owner',
      source_version: NOT_REPORTED,
      rows,
      features,
      target: m.output.field,
      notes: [
        'Served from model.onnx + manifest.json by @mlapi/onnx; the graph was built outside this repository.',
        ...(card.trained_at ? [] : ['trained_at is the modification time of model.onnx (the manifest gives none).']),
      ],
    },
    evaluation: { method: card.evaluation ?? NOT_REPORTED, seed: 0 },
    metrics: { ...(card.metrics ?? {}) },
    hyperparameters,
    shipped_artifact: { trained_on: card.data_source ?? 'provided by the model owner', rows },
    output: outputText(m),
    limitations: card.limitations
      ? [...card.limitations]
      : ['Evaluation, data and limitations are the model owner\'s to report (manifest.json "card"); none were given.'],
    ...(card.reference ? { reference: card.reference } : {}),
  };
}
