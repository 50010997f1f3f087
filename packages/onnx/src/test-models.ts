/** The ONNX models of one's own that the server's, the SDK's and the CLI's tests share (see testing.ts). */
import type { OnnxManifestInput, RegressionManifestInput } from './manifest.ts';
import { writeLinearModel, writeManifest } from './graph-writers.ts';

/** The input of `tinyHouse`. */
export interface TinyHouse {
  rooms: number;
  area: number;
  garden: boolean;
}

type LinearWeights = { weights: readonly number[]; bias: number };
const houseWeights = {
  first: { weights: [2, 0.5, 4], bias: 10 },
  second: { weights: [3, 0.25, -1], bias: 5 },
} satisfies Record<string, LinearWeights>;

/**
 * A house-price model of one's own, served as v2 by the server's, the SDK's and the CLI's tests: three fields of
 * the three kinds (integer, number, boolean) and a reply scaled to dollars, price = (rooms·w₀ + area·w₁ +
 * garden·w₂ + b) × 1000. Two weight sets stand for two versions, so a reload shows in the prices.
 */
export const tinyHouse = {
  weights: houseWeights,
  manifest: (version: string, overrides: Partial<RegressionManifestInput> = {}): RegressionManifestInput => ({
    service: 'v2',
    name: 'tiny-house',
    version,
    task: 'regression',
    input: {
      tensor: 'float_input',
      fields: [
        { name: 'rooms', type: 'integer', min: 1, max: 20, description: 'Rooms in the house' },
        { name: 'area', type: 'number', min: 0, max: 1000, description: 'Floor area in square metres' },
        { name: 'garden', type: 'boolean' },
      ],
    },
    output: { tensor: 'variable', field: 'price', scale: 1000, unit: 'USD' },
    ...overrides,
  }),
  /** The price the graph gives for `x` with `spec`, in dollars. */
  price: (spec: LinearWeights, x: TinyHouse): number =>
    (x.rooms * spec.weights[0]! + x.area * spec.weights[1]! + (x.garden ? 1 : 0) * spec.weights[2]! + spec.bias) * 1000,
  /** Writes the model with `spec` and its manifest of `version` into `dir`. */
  write: async (
    dir: string,
    version: string,
    spec: LinearWeights = houseWeights.first,
    manifest?: RegressionManifestInput,
  ): Promise<void> => {
    await writeLinearModel(dir, spec);
    await writeManifest(dir, manifest ?? tinyHouse.manifest(version));
  },
};

/**
 * The manifest of a v1 text classifier (a bag-of-words graph written with `writeBagOfWordsModel`) whose text field is
 * not called `text` but `mail`, with the labels ok/junk: what a model of one's own looks like to the tests.
 */
export const tinyJunkManifest = (version = '0.3.0'): OnnxManifestInput => ({
  service: 'v1',
  name: 'tiny-junk',
  version,
  task: 'classification',
  input: { fields: [{ name: 'mail', type: 'text', tensor: 'text', max_length: 1000, description: 'The message' }] },
  output: {
    tensor: 'probabilities',
    labels: ['ok', 'junk'],
    positive_label: 'junk',
    field: 'verdict',
    probability_field: 'p_junk',
  },
});
